x<

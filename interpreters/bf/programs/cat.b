cat: copies stdin to stdout until the end of input (where it reads 0)
,[.,]

define i32 @main() {
entry:
  ret i32 %nothere
}

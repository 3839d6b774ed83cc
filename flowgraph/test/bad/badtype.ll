define i32 @main() {
entry:
  %x = add i32 1, 2
  br label %next
next:
  ret i64 %x
}

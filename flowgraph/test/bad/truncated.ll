; ModuleID = 'truncated'
source_filename = "truncated.c"

define dso_local i32 @main() #0 {
entry:
  %x = add i32 1, 2
  ret i32 %x

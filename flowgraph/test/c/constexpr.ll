; constexpr.ll: IR that clang rarely emits at -O0 but the importer must
; handle: constant expressions used as operands (folded or materialised),
; several switch edges to one block passing phi values, blockaddress tags
; stored in a global, freeze, fneg, select, f32 constants, an unreachable
; block, i1 constants and a GEP walking a struct inside an array.

%struct.pair = type { i32, [3 x i16], i64 }

@table = internal global [4 x %struct.pair] [
  %struct.pair { i32 1, [3 x i16] [i16 2, i16 3, i16 4], i64 5 },
  %struct.pair { i32 10, [3 x i16] [i16 20, i16 30, i16 40], i64 50 },
  %struct.pair zeroinitializer,
  %struct.pair { i32 -1, [3 x i16] [i16 -2, i16 -3, i16 -4], i64 -5 } ], align 16
@labels = internal constant [2 x i8*] [i8* blockaddress(@dispatch, %one), i8* blockaddress(@dispatch, %two)]
@pmid = internal global i16* getelementptr inbounds ([4 x %struct.pair], [4 x %struct.pair]* @table, i64 0, i64 1, i32 1, i64 2)
@fmt = private unnamed_addr constant [4 x i8] c"%d\0A\00"
@fmtl = private unnamed_addr constant [5 x i8] c"%ld\0A\00"
@fmtf = private unnamed_addr constant [4 x i8] c"%g\0A\00"

declare i32 @printf(i8*, ...)

define internal i32 @dispatch(i32 %k) {
entry:
  %idx = sext i32 %k to i64
  %slot = getelementptr inbounds [2 x i8*], [2 x i8*]* @labels, i64 0, i64 %idx
  %addr = load i8*, i8** %slot
  indirectbr i8* %addr, [label %one, label %two]
one:
  ret i32 100
two:
  ret i32 200
dead:
  ret i32 -1
}

define internal i32 @classify(i32 %x) {
entry:
  switch i32 %x, label %other [
    i32 0, label %small
    i32 1, label %small
    i32 2, label %small
    i32 -7, label %neg
  ]
small:
  %v = phi i32 [ 11, %entry ], [ 11, %entry ], [ 11, %entry ], [ %w, %neg ]
  ret i32 %v
neg:
  %w = add i32 %x, 1000
  br label %small
other:
  %f = freeze i32 %x
  %c = icmp sgt i32 %f, 50
  %s = select i1 %c, i32 50, i32 %f
  ret i32 %s
}

define i32 @main() {
entry:
  ; a constant expression materialised as ops: address arithmetic
  %a = add i64 ptrtoint (i16* getelementptr inbounds ([4 x %struct.pair], [4 x %struct.pair]* @table, i64 0, i64 3, i32 1, i64 0) to i64), 2
  %b = sub i64 %a, ptrtoint ([4 x %struct.pair]* @table to i64)
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([5 x i8], [5 x i8]* @fmtl, i64 0, i64 0), i64 %b)
  %p = load i16*, i16** @pmid
  %m = load i16, i16* %p
  %m32 = sext i16 %m to i32
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([4 x i8], [4 x i8]* @fmt, i64 0, i64 0), i32 %m32)
  %q = getelementptr inbounds [4 x %struct.pair], [4 x %struct.pair]* @table, i64 0, i64 3, i32 2
  %l = load i64, i64* %q
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([5 x i8], [5 x i8]* @fmtl, i64 0, i64 0), i64 %l)
  %d0 = call i32 @dispatch(i32 0)
  %d1 = call i32 @dispatch(i32 1)
  %dd = add i32 %d0, %d1
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([4 x i8], [4 x i8]* @fmt, i64 0, i64 0), i32 %dd)
  br label %loop
loop:
  %i = phi i32 [ -8, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %r = call i32 @classify(i32 %i)
  %acc1 = add i32 %acc, %r
  %i1 = add i32 %i, 3
  %done = icmp sgt i32 %i1, 60
  br i1 %done, label %out, label %loop
out:
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([4 x i8], [4 x i8]* @fmt, i64 0, i64 0), i32 %acc1)
  %x = fadd float 1.500000e+00, 2.250000e+00
  %y = fneg float %x
  %yd = fpext float %y to double
  call i32 (i8*, ...) @printf(i8* getelementptr inbounds ([4 x i8], [4 x i8]* @fmtf, i64 0, i64 0), double %yd)
  %t = select i1 true, i32 0, i32 1
  ret i32 %t
}

/* hints.h: the hints an interpreter gives the JIT compiler generator.
 *
 * This is the only header an interpreter includes.  In a plain build every
 * hint compiles to nothing and costs nothing.  When tsgen compiles the file
 * it defines TS_ANALYZE, and each hint becomes a call to an extern marker
 * function with no attributes (attributes would let LLVM hoist or delete
 * the calls), which the importer turns into hint operations of the IR.
 *
 *   TS_MERGE_POINT(g1, ..., gn);  head of the portal's dispatch loop; the
 *                                 greens (1 to 8 integers or pointers) key
 *                                 the compiled code
 *   TS_GREEN(x)                   x must be green (integer or pointer)
 *   TS_PROMOTE(x)                 the run-time value of x becomes green
 *   TS_DEEPFREEZE(p)              memory reachable from p never changes
 *   TS_VIRTUALIZABLE(f);          *f is an interpreter frame
 *   TS_RESIDUAL                   function attribute: never inline calls
 *   TS_ELIDABLE                   function attribute: pure function
 */
#ifndef TS_HINTS_H
#define TS_HINTS_H

#ifdef TS_ANALYZE

extern long ts_hint_green(long x);
extern long ts_hint_promote(long x);
extern void *ts_hint_deepfreeze(const void *p);
extern void ts_hint_virtualizable(const void *f);
extern void ts_merge_point(int n, ...);

/* Count the arguments of TS_MERGE_POINT (1 to 8). */
#define TS__NTH(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define TS__COUNT(...) TS__NTH(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)

#define TS_MERGE_POINT(...) ts_merge_point(TS__COUNT(__VA_ARGS__), __VA_ARGS__)
#define TS_GREEN(x) ((__typeof__(x))ts_hint_green((long)(x)))
#define TS_PROMOTE(x) ((__typeof__(x))ts_hint_promote((long)(x)))
#define TS_DEEPFREEZE(p) ((__typeof__(p))ts_hint_deepfreeze(p))
#define TS_VIRTUALIZABLE(f) ts_hint_virtualizable(f)
#define TS_RESIDUAL __attribute__((annotate("ts.residual"), noinline))
#define TS_ELIDABLE __attribute__((annotate("ts.elidable")))

#else

#define TS_MERGE_POINT(...) ((void)0)
#define TS_GREEN(x) (x)
#define TS_PROMOTE(x) (x)
#define TS_DEEPFREEZE(p) (p)
#define TS_VIRTUALIZABLE(f) ((void)0)
#define TS_RESIDUAL
#define TS_ELIDABLE

#endif
#endif

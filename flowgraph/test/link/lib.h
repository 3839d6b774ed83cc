/* lib.h: shared by main.c and lib.c (link test of the importer). */
struct counter {
	int n;     /* calls so far */
	long sum;  /* sum of the values */
};

extern struct counter lib_counter;
extern const char *const lib_names[];
long lib_add(long v);

static inline long twice(long v)
{
	return v + v;
}

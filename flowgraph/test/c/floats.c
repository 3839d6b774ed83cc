/* Float and double arithmetic, comparisons and conversions. */
#include <stdio.h>

static double poly(double x) { return 3.0 * x * x - 2.0 * x + 0.5; }

static float halve(float f) { return f / 2.0f; }

int main(void)
{
	double a = 1.5, b = -2.25, s = 0;
	float f = 10.0f;
	int i;

	for (i = 0; i < 5; i++)
		s += poly(i * 0.5);
	printf("%.6f %.6f %.6f %.6f\n", a + b, a - b, a * b, a / b);
	printf("%.4f %.4f\n", s, (double)halve(f));
	printf("%d %d %d %d %d %d\n", a < b, a > b, a <= a, a >= b, a == a, a != b);
	printf("%d %ld %u %.1f %.1f\n", (int)b, (long)(a * 1000), (unsigned)(a * 3), (double)7,
		(double)(unsigned)9);
	printf("%.3f %.3f\n", -a, (double)(float)0.1);
	return 0;
}

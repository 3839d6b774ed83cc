/* Float and double arithmetic, libm, conversions both ways, rounding of
 * float vs double, special values and every comparison with NaN. */
#include <float.h>
#include <math.h>
#include <stdio.h>

static double poly(double x, const double *c, int n)
{
	double r = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		r = r * x + c[i];
	return r;
}

static float harmonicf(int n)
{
	float s = 0;
	int i;

	for (i = 1; i <= n; i++)
		s += 1.0f / i;
	return s;
}

static double harmonic(int n)
{
	double s = 0;
	int i;

	for (i = 1; i <= n; i++)
		s += 1.0 / i;
	return s;
}

static double newton_sqrt(double a)
{
	double x = a > 1 ? a : 1;
	int i;

	for (i = 0; i < 60; i++)
		x = 0.5 * (x + a / x);
	return x;
}

static void cmpall(const char *what, double a, double b)
{
	printf("%s: < %d <= %d > %d >= %d == %d != %d\n", what, a < b, a <= b, a > b, a >= b,
		a == b, a != b);
}

int main(void)
{
	static const double c[] = {1, -0.5, 0.25, -0.125, 0.0625};
	volatile double zero = 0.0;
	double nan_ = zero / zero, inf = 1.0 / zero, x;
	float f = 0.1f, g;
	unsigned u = 4000000000u;
	long long big = -9007199254740993LL;
	unsigned long long ubig = 18446744073709551557ULL;
	int i;

	printf("poly %.17g %.17g\n", poly(0.3, c, 5), poly(-2.5, c, 5));
	printf("harmonic f %.9g d %.17g\n", harmonicf(1000), harmonic(1000));
	printf("sqrt newton %.17g libm %.17g\n", newton_sqrt(2.0), sqrt(2.0));
	printf("libm %.15g %.15g %.15g %.15g %.15g\n", sin(1.0), cos(1.0), exp(1.5), log(10.0),
		pow(2.0, 0.5));
	printf("floor %g ceil %g fabs %g fmod %g round %g trunc %g\n", floor(-2.5), ceil(-2.5),
		fabs(-3.25), fmod(7.5, 2.0), round(2.5), trunc(-2.7));
	printf("float math %.9g %.9g %.9g\n", sqrtf(2.0f), f * 3.0f, (double)(f + 0.2f));
	g = f;
	for (i = 0; i < 10; i++)
		g = g * 1.1f + 0.01f;
	printf("float loop %.9g\n", g);
	printf("to int %d %d %ld %u %lld\n", (int)3.99, (int)-3.99, (long)1e15, (unsigned)3e9,
		(long long)-1e18);
	printf("from int %.17g %.17g %.9g %.17g %.17g\n", (double)u, (double)big, (float)big,
		(double)ubig, (double)(unsigned char)200);
	printf("special %g %g %g %d %d\n", inf, -inf, nan_ != nan_ ? 1.0 : 0.0, isnan(nan_) != 0,
		isinf(-inf) != 0);
	cmpall("1 vs 2", 1, 2);
	cmpall("nan vs 1", nan_, 1);
	cmpall("-0 vs 0", -0.0, 0.0);
	cmpall("inf vs inf", inf, inf);
	printf("limits %.17g %.9g %g\n", DBL_MAX, FLT_MAX, DBL_MIN);
	printf("neg zero %g %g\n", -0.0, 0.0 * -1);
	x = 1.0;
	for (i = 0; i < 1100; i++)
		x /= 2;
	printf("underflow %g %a\n", x, 0.1);
	printf("mixed %.17g\n", (float)1 / 3 + (double)1 / 3);
	return 0;
}

int main(int argc, char **argv)
{
	long double x = argc;

	(void)argv;
	return (int)(x * 2.0L);
}

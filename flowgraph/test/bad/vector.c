typedef int v4 __attribute__((vector_size(16)));

int main(int argc, char **argv)
{
	v4 a = {argc, 2, 3, 4};
	v4 b = a + a;
	(void)argv;
	return b[0];
}

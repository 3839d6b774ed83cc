/* Defines lib_add a second time: linking it with lib.c must fail. */
long lib_add(long v)
{
	return v;
}

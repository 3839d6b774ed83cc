/* tsgen.c: the driver.  One subcommand per job; each reads its inputs,
 * runs the pipeline stages top to bottom and writes its result.
 *
 *   tsgen run FILE.c... [cc options] [-- ARGS]     reference executor
 *   tsgen dump [--format F] FILE... [--function N] [-o OUT]
 *   tsgen annotate FILE.c... --portal NAME [...]   binding times
 *
 * Inputs are C files (imported through clang and LLVM-C), LLVM IR or
 * bitcode (.ll, .bc), or one flow-graph text file (.fg). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../flowgraph/flowgraph.h"
#include "../hintannotator/hintannotator.h"
#include "../timeshift/timeshift.h"

/* Options shared by the subcommands. */
typedef struct {
	const char **files;   /* vector of input files */
	const char **ccargs;  /* vector of options for clang */
	const char *function; /* --function: only this function */
	const char *format;   /* --format */
	const char *out;      /* -o: output path, NULL for stdout */
	const char *portal;   /* --portal */
	const char *explain;  /* --explain FILE:LINE */
	char **progargs;      /* after `--`: the program's arguments */
	int nprogargs;        /* count of progargs */
} Opts;

typedef struct {
	const char *name;             /* subcommand */
	int (*run)(int, char **);     /* its main */
	const char *summary;          /* one line for `tsgen --help` */
} Command;

static int cmd_run(int argc, char **argv);
static int cmd_dump(int argc, char **argv);
static int cmd_annotate(int argc, char **argv);
static int cmd_gen(int argc, char **argv);
static int cmd_build(int argc, char **argv);
static int cmd_view(int argc, char **argv);

static const Command commands[] = {
	{"run", cmd_run, "run a C program's main through the flow-graph interpreter"},
	{"dump", cmd_dump, "print flow graphs as text, XML, DOT or SVG"},
	{"annotate", cmd_annotate, "binding times (green/red) from a portal: listing, graphs, explanations"},
	{"gen", cmd_gen, "write the generating extension (C) of an interpreter for its portal"},
	{"build", cmd_build, "build an interpreter's JIT VM: plain build + generating extension + runtime"},
	{"view", cmd_view, "binding-time viewer: an HTML site of coloured graphs and listings"},
};

static int hasext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);

	return n > e && strcmp(path + n - e, ext) == 0;
}

static int isinput(const char *a)
{
	return hasext(a, ".c") || hasext(a, ".ll") || hasext(a, ".bc") || hasext(a, ".fg");
}

static const char *rootdir(void);

/* The include option for hintannotator/hints.h, beside bin/. */
static const char *hintsdir(void)
{
	static char dir[PATH_MAX + 32];

	snprintf(dir, sizeof dir, "-I%s/hintannotator", rootdir());
	return dir;
}

/* Options taking a value, and cc options passed to clang. */
static int parseopts(int argc, char **argv, Opts *o, const char *cmd)
{
	int i;

	memset(o, 0, sizeof *o);
	o->files = fg_vnew(0, sizeof(char *));
	o->ccargs = fg_vnew(0, sizeof(char *));
	fg_vpush(&o->ccargs, hintsdir());
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], **val = NULL;

		if (strcmp(a, "--") == 0) {
			o->progargs = argv + i + 1;
			o->nprogargs = argc - i - 1;
			break;
		}
		if (strcmp(a, "--function") == 0)
			val = &o->function;
		else if (strcmp(a, "--format") == 0)
			val = &o->format;
		else if (strcmp(a, "-o") == 0)
			val = &o->out;
		else if (strcmp(a, "--portal") == 0)
			val = &o->portal;
		else if (strcmp(a, "--explain") == 0)
			val = &o->explain;
		if (val) {
			if (i + 1 >= argc)
				return fg_errorat(cmd, 0, "option '%s' needs a value", a);
			*val = argv[++i];
		} else if (a[0] == '-' && (a[1] == 'I' || a[1] == 'D' || a[1] == 'U' ||
				   strncmp(a, "-std=", 5) == 0 || strncmp(a, "-W", 2) == 0)) {
			fg_vpush(&o->ccargs, a);
		} else if (a[0] == '-') {
			return fg_errorat(cmd, 0, "unknown option '%s' (see 'tsgen %s --help')", a, cmd);
		} else if (isinput(a)) {
			fg_vpush(&o->files, a);
		} else {
			return fg_errorat(a, 0, "not an input file (expected .c, .ll, .bc or .fg)");
		}
	}
	if (fg_vlen(o->files) == 0)
		return fg_errorat(cmd, 0, "no input file (see 'tsgen %s --help')", cmd);
	return 0;
}

static char *readfile(const char *path, size_t *len)
{
	char *buf = fg_readfile(path, len);

	if (!buf)
		fg_errorat(path, 0, "cannot open: %s", strerror(errno));
	return buf;
}

/* Read the inputs into one verified module, or NULL after an error. */
static FgModule *load(Opts *o)
{
	FgModule *m;
	size_t n = fg_vlen(o->files);

	if (hasext(o->files[0], ".fg")) {
		size_t len;
		char *text;

		if (n > 1) {
			fg_errorat(o->files[1], 0, "a .fg file must be the only input");
			return NULL;
		}
		if (!(text = readfile(o->files[0], &len)))
			return NULL;
		m = fg_parse(text, len, o->files[0]);
		fg_free(text);
	} else {
		m = fg_import(o->files, n, o->ccargs, fg_vlen(o->ccargs));
	}
	if (m && fg_verify(m) > 0) {
		fg_freemodule(m);
		return NULL;
	}
	return m;
}

static FILE *openout(const char *path)
{
	FILE *f;

	if (!path || strcmp(path, "-") == 0)
		return stdout;
	if (!(f = fopen(path, "w")))
		fg_errorat(path, 0, "cannot write: %s", strerror(errno));
	return f;
}

static int closeout(FILE *f)
{
	if (f == stdout)
		return fflush(f) == 0 ? 0 : -1;
	return fclose(f) == 0 ? 0 : -1;
}

static int wanthelp(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
	return 0;
}

static const char run_usage[] =
	"usage: tsgen run FILE.c... [cc options] [-- ARGS...]\n"
	"\n"
	"Import the program (C through clang, or .ll/.bc/.fg) and run its main\n"
	"through the flow-graph interpreter, with real memory and real calls into\n"
	"libc.  Exits with the program's status.  cc options: -I -D -U -std= -W.\n";

static int cmd_run(int argc, char **argv)
{
	Opts o;
	FgModule *m;
	char **args;
	int i, rc;

	if (wanthelp(argc, argv, run_usage))
		return 0;
	if (parseopts(argc, argv, &o, "run") < 0 || !(m = load(&o)))
		return 1;
	args = fg_alloc((o.nprogargs + 2) * sizeof(char *));
	args[0] = (char *)o.files[0];
	for (i = 0; i < o.nprogargs; i++)
		args[i + 1] = o.progargs[i];
	fflush(stdout);
	rc = fg_run(m, o.nprogargs + 1, args);
	fflush(stdout);
	return rc & 0xff;
}

static const char dump_usage[] =
	"usage: tsgen dump [--format text|xml|dot|svg] FILE... [--function NAME]\n"
	"                  [-o OUT] [cc options]\n"
	"\n"
	"Print the flow graphs of the inputs (C through clang, .ll/.bc, or one\n"
	"flow-graph text file .fg).  text is the IR's text format (docs/ir.md),\n"
	"xml follows docs/flowgraph.rng, dot and svg draw one node per block.\n";

static int cmd_dump(int argc, char **argv)
{
	Opts o;
	FgModule *m;
	const FgFunc *only = NULL;
	const char *fmt;
	FILE *out;
	int rc, fi;

	if (wanthelp(argc, argv, dump_usage))
		return 0;
	if (parseopts(argc, argv, &o, "dump") < 0)
		return 1;
	fmt = o.format ? o.format : "text";
	if (strcmp(fmt, "text") && strcmp(fmt, "xml") && strcmp(fmt, "dot") && strcmp(fmt, "svg")) {
		fg_errorat("dump", 0, "unknown format '%s' (text, xml, dot or svg)", fmt);
		return 1;
	}
	if (!(m = load(&o)))
		return 1;
	if (o.function) {
		if ((fi = fg_findfunc(m, o.function)) < 0 || !(m->funcs[fi].flags & FN_DEFINED)) {
			fg_errorat(o.files[0], 0, "no function '%s' defined", o.function);
			return 1;
		}
		only = &m->funcs[fi];
	}
	if (!(out = openout(o.out)))
		return 1;
	rc = 0;
	if (strcmp(fmt, "text") == 0 && only)
		fg_printfunc(out, m, only);
	else if (strcmp(fmt, "text") == 0)
		fg_print(out, m);
	else if (strcmp(fmt, "xml") == 0)
		rc = fg_writexml(out, m, only, NULL);
	else if (strcmp(fmt, "dot") == 0)
		rc = fg_writedot(out, m, only, NULL);
	else
		rc = fg_writesvg(out, m, only, NULL);
	if (closeout(out) < 0 || rc < 0)
		return 1;
	fg_freemodule(m);
	return 0;
}

static const char annotate_usage[] =
	"usage: tsgen annotate FILE.c... --portal NAME [--format text|xml|dot|svg]\n"
	"                      [--function NAME] [--explain FILE.c:LINE] [-o OUT]\n"
	"                      [cc options]\n"
	"\n"
	"Run the hint annotator (binding-time analysis) from the portal NAME.\n"
	"text prints every specialisation (a function and the colours of its\n"
	"parameters): its source lines with the colour of what they compute\n"
	"(G green: known when code is generated, R red: known when it runs,\n"
	"M mixed), call classes and merge points (docs/annotator.md).  xml, dot\n"
	"and svg draw the coloured graphs.  --function shows one function (or\n"
	"specialisation, as named in the listing).  --explain prints why the\n"
	"values computed on that line have their colours.\n\n";

/* tsgen annotate: import, annotate from the portal, print. */
static int cmd_annotate(int argc, char **argv)
{
	Opts o;
	FgModule *m, *view;
	HaResult *r;
	FgStyle st;
	const char *fmt, *colon;
	char file[PATH_MAX];
	FILE *out;
	int rc = 0, only = -1;

	if (wanthelp(argc, argv, annotate_usage)) {
		HaPolicy pol;
		ha_defaultpolicy(&pol);
		ha_printpolicy(stdout, &pol);
		return 0;
	}
	if (parseopts(argc, argv, &o, "annotate") < 0)
		return 1;
	fmt = o.format ? o.format : "text";
	if (strcmp(fmt, "text") && strcmp(fmt, "xml") && strcmp(fmt, "dot") && strcmp(fmt, "svg"))
		return fg_errorat("annotate", 0, "unknown format '%s' (text, xml, dot or svg)", fmt), 1;
	if (!o.portal)
		return fg_errorat("annotate", 0, "no --portal NAME (see 'tsgen annotate --help')"), 1;
	colon = o.explain ? strrchr(o.explain, ':') : NULL;
	if (o.explain && (!colon || colon == o.explain || atoi(colon + 1) <= 0 ||
			  (size_t)(colon - o.explain) >= sizeof file))
		return fg_errorat("annotate", 0, "--explain wants FILE:LINE, not '%s'", o.explain), 1;
	if (!(m = load(&o)))
		return 1;
	if (!(r = ha_annotate(m, o.portal, NULL))) {
		fg_freemodule(m);
		return 1;
	}
	if (o.function && (only = ha_spec(r, o.function)) < 0 && fg_findfunc(m, o.function) < 0) {
		fg_errorat(o.files[0], 0, "no function '%s' defined", o.function);
		rc = 1;
	} else if (o.function && only < 0) {
		uint32_t i;
		for (i = 0; i < fg_vlen(r->specs) && only < 0; i++)
			if (strcmp(m->funcs[r->specs[i].func].name, o.function) == 0)
				only = i;
		if (only < 0) {
			fg_errorat(o.files[0], 0, "function '%s' is not reached from the portal", o.function);
			rc = 1;
		}
	}
	if (rc == 0 && !(out = openout(o.out)))
		rc = 1;
	if (rc == 0) {
		if (o.explain) {
			memcpy(file, o.explain, colon - o.explain);
			file[colon - o.explain] = 0;
			if (ha_explain(out, r, file, atoi(colon + 1)) == 0)
				rc = fg_errorat(file, atoi(colon + 1),
					"no value is computed on this line in the annotated functions") < 0;
		} else if (strcmp(fmt, "text") == 0) {
			ha_print(out, r, o.function);
		} else {
			const FgFunc *f;
			view = ha_view(r, &st);
			f = only >= 0 ? ha_viewfunc(view, &st, only) : NULL;
			if (strcmp(fmt, "xml") == 0)
				rc = fg_writexml(out, view, f, &st) < 0;
			else if (strcmp(fmt, "dot") == 0)
				rc = fg_writedot(out, view, f, &st) < 0;
			else
				rc = fg_writesvg(out, view, f, &st) < 0;
			ha_freeview(view, &st);
		}
		if (closeout(out) < 0)
			rc = 1;
	}
	ha_free(r);
	fg_freemodule(m);
	fg_vfree(o.files);
	fg_vfree(o.ccargs);
	return rc;
}

static const char gen_usage[] =
	"usage: tsgen gen FILE.c... --portal NAME -o OUT.c [cc options]\n"
	"\n"
	"Import the interpreter, colour it from the portal (as tsgen annotate) and\n"
	"write its generating extension: C that compiles with -I timeshift/rt\n"
	"-I codegen/x86 and links with the interpreter (portal renamed\n"
	"ts_plain_NAME), build/libtsrt.a and build/libx86.a (docs/timeshift.md).\n";

/* tsgen gen: import, annotate, write the generating extension. */
static int cmd_gen(int argc, char **argv)
{
	Opts o;
	FgModule *m;
	HaResult *r;
	FILE *out;
	int rc = 0;

	if (wanthelp(argc, argv, gen_usage))
		return 0;
	if (parseopts(argc, argv, &o, "gen") < 0)
		return 1;
	if (!o.portal)
		return fg_errorat("gen", 0, "no --portal NAME (see 'tsgen gen --help')"), 1;
	if (!(m = load(&o)))
		return 1;
	if (!(r = ha_annotate(m, o.portal, NULL))) {
		fg_freemodule(m);
		return 1;
	}
	if (!(out = openout(o.out)))
		rc = 1;
	if (rc == 0 && ts_gen(out, m, r) < 0)
		rc = 1;
	if (out && closeout(out) < 0)
		rc = 1;
	ha_free(r);
	fg_freemodule(m);
	return rc;
}

static const char build_usage[] =
	"usage: tsgen build [cc options] FILE.c... --portal NAME -o OUT\n"
	"\n"
	"Build the JIT VM of an interpreter: the same program as a plain -O2 build\n"
	"of FILE.c..., except that calls of the portal NAME go through the JIT\n"
	"(TS_JIT=off: never).  The files are compiled by clang-14 with the portal's\n"
	"definition renamed ts_plain_NAME, linked with the generating extension\n"
	"(tsgen gen), build/libtsrt.a and build/libx86.a; no LLVM in OUT.\n"
	"cc options: -I -D -U -std= -W (-O and -g are accepted and ignored: the\n"
	"build is -O2).  CC names the compiler of the extension and the link\n"
	"(default cc).  See docs/build.md.\n";

/* The folder holding bin/ (the parent of bin/tsgen's folder). */
static const char *rootdir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return ".";
	exe[n] = 0;
	snprintf(dir, sizeof dir, "%s", dirname(dirname(exe)));
	return dir;
}

/* tsgen build: -I DIR (as cc takes it) is joined into -IDIR, -O and -g
 * dropped, then the usual options; the pipeline is ts_build's. */
static int cmd_build(int argc, char **argv)
{
	char **av = fg_alloc((argc + 1) * sizeof *av);
	const char *cc = getenv("CC");
	TsBuild bo;
	Opts o;
	int i, n = 0, rc;

	if (wanthelp(argc, argv, build_usage))
		return 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i > 0 && (a[0] == '-' && (a[1] == 'I' || a[1] == 'D' || a[1] == 'U') && !a[2]) &&
		    i + 1 < argc) {
			av[n] = fg_alloc(strlen(argv[i + 1]) + 3);
			sprintf(av[n++], "%s%s", a, argv[++i]);
		} else if (i > 0 && (strncmp(a, "-O", 2) == 0 || strncmp(a, "-g", 2) == 0)) {
			continue;
		} else {
			av[n++] = argv[i];
		}
	}
	av[n] = NULL;
	if (parseopts(n, av, &o, "build") < 0)
		return 1;
	if (!o.portal)
		return fg_errorat("build", 0, "no --portal NAME (see 'tsgen build --help')"), 1;
	if (!o.out)
		return fg_errorat("build", 0, "no -o OUT (see 'tsgen build --help')"), 1;
	memset(&bo, 0, sizeof bo);
	bo.files = o.files;
	bo.nfiles = fg_vlen(o.files);
	bo.ccargs = o.ccargs;
	bo.nccargs = fg_vlen(o.ccargs);
	bo.portal = o.portal;
	bo.out = o.out;
	bo.root = rootdir();
	bo.cc = cc && *cc ? cc : "cc";
	rc = ts_build(&bo) < 0;
	fg_vfree(o.files);
	fg_vfree(o.ccargs);
	return rc;
}

static const char view_usage[] =
	"usage: tsgen view FILE.c... --portal NAME -o DIR [cc options]\n"
	"\n"
	"Annotate from the portal NAME (as tsgen annotate) and write a static\n"
	"HTML site into DIR: index.html lists the portal and every\n"
	"specialisation; each has a page with its coloured flow graph (SVG),\n"
	"its calls linking to their callees' pages and its source lines with\n"
	"binding times.  If the annotation fails, the index shows the errors\n"
	"and the chain of the failed hint, and the status is 1 (docs/viewer.md).\n";

/* Run ha_annotate with stderr captured into *errors (also echoed). */
static HaResult *annotatecapture(FgModule *m, const char *portal, char **errors)
{
	FILE *tmp = tmpfile();
	HaResult *r;
	long n;
	int saved;

	*errors = NULL;
	if (!tmp)
		return ha_annotate(m, portal, NULL);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	r = ha_annotate(m, portal, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = (long)lseek(fileno(tmp), 0, SEEK_END);
	if (n > 0 && lseek(fileno(tmp), 0, SEEK_SET) == 0) {
		*errors = fg_alloc(n + 1);
		n = read(fileno(tmp), *errors, n);
		(*errors)[n > 0 ? n : 0] = 0;
		fputs(*errors, stderr);
	}
	fclose(tmp);
	return r;
}

/* tsgen view: import, annotate, write the site (also when annotating
 * failed: then it shows why). */
static int cmd_view(int argc, char **argv)
{
	Opts o;
	FgModule *m;
	HaResult *r;
	char *errors;
	int rc;

	if (wanthelp(argc, argv, view_usage))
		return 0;
	if (parseopts(argc, argv, &o, "view") < 0)
		return 1;
	if (!o.portal)
		return fg_errorat("view", 0, "no --portal NAME (see 'tsgen view --help')"), 1;
	if (!o.out || strcmp(o.out, "-") == 0)
		return fg_errorat("view", 0, "no -o DIR (see 'tsgen view --help')"), 1;
	if (!(m = load(&o)))
		return 1;
	r = annotatecapture(m, o.portal, &errors);
	rc = ha_site(o.out, m, r, o.portal, errors) < 0 || !r;
	fg_free(errors);
	if (r)
		ha_free(r);
	fg_freemodule(m);
	fg_vfree(o.files);
	fg_vfree(o.ccargs);
	return rc;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: tsgen COMMAND [options] (tsgen COMMAND --help for each)\n\n", f);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tsgen: error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

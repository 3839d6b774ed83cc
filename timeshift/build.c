/* build.c: `tsgen build`, one JIT VM from an interpreter's sources
 * (docs/timeshift.md §5, docs/build.md).
 *
 * Two compilations of the same files meet in one executable:
 *
 *   plain   clang-14 -O2 -Xclang -disable-llvm-passes (no TS_ANALYZE: the
 *           hints compile to nothing) -> bitcode per file -> linked in
 *           file order -> rewritten here with LLVM-C: the portal NAME is
 *           renamed ts_plain_NAME and its uses call a new declaration NAME
 *           (the JIT entry); every internal or private function and global
 *           the importer knows is named ts_static_NAME (NAME as the
 *           importer has it) before the link -> bitcode ->
 *           clang-14 -O2 -c (the whole -O2 pipeline runs now);
 *   ext     fg_import (TS_ANALYZE) -> ha_annotate -> ts_gen -> C ->
 *           cc -O2 -I ROOT/timeshift/rt -I ROOT/codegen/x86 -c;
 *
 * then cc links both with ROOT/build/libtsrt.a and ROOT/build/libx86.a.
 * The extension names module symbols through asm labels.  Internal
 * symbols are named after the importer's link (replayed here, see
 * "Internal symbols get renamed" below); before anything is compiled,
 * every ts_static_ label the extension uses must be defined by the
 * rewritten module (a mismatch is an error, not a link failure).  All
 * temporaries live in one directory, removed at the end whatever happens. */
#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/Linker.h>
#include "timeshift.h"

extern char **environ;

#define CLANG "clang-14"

/* The state of one build. */
/* An internal symbol of one input file and its name in the importer's
 * linked module. */
typedef struct {
	char *key;    /* "FILEINDEX:NAME", NAME as clang named it in the file */
	char *linked; /* the name after the importer's link */
} Name;

typedef struct {
	const TsBuild *bo;   /* the request */
	Name *names;         /* vector: the importer's names of internal symbols */
	int err;             /* set by a hook that failed */
	char tmp[64];        /* temporary directory */
	char *ext;           /* generated C text */
	size_t extlen;       /* its length */
} Bld;

/* A path in the temporary directory (static buffer per slot). */
static const char *tpath(Bld *b, int slot, const char *name)
{
	static char buf[4][400];

	snprintf(buf[slot], sizeof buf[slot], "%s/%s", b->tmp, name);
	return buf[slot];
}

/* Run argv (a NULL-terminated vector), its output passing through.
 * Returns 0 when it exits with status 0; otherwise prints an error
 * against file and returns -1. */
static int run(const char *file, char **argv)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	st = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (st != 0)
		return fg_errorat(file, 0, "cannot run %s: %s", argv[0], strerror(st));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return fg_errorat(file, 0, "waiting for %s: %s", argv[0], strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		return fg_errorat(file, 0, "%s failed (exit status %d)", argv[0], WEXITSTATUS(st));
	return fg_errorat(file, 0, "%s failed (signal %d)", argv[0], WTERMSIG(st));
}

/* ---- the plain module --------------------------------------------------- */

/* Linker diagnostics, reported against the file being linked. */
static void diag(LLVMDiagnosticInfoRef di, void *p)
{
	char *s = LLVMGetDiagInfoDescription(di);

	if (LLVMGetDiagInfoSeverity(di) == LLVMDSError)
		fg_errorat(*(const char **)p, 0, "%s", s);
	LLVMDisposeMessage(s);
}

/* clang's options for the plain build (frontend only: the -O2 pipeline
 * runs after the rewrite) and for the importer's build (flowgraph/import.c's
 * runclang: the same names come out of the same front end and link). */
static const char *const plainflags[] = {
	CLANG, "-O2", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c", NULL,
};
static const char *const anaflags[] = {
	CLANG, "-O0", "-Xclang", "-disable-O0-optnone", "-g", "-fno-discard-value-names",
	"-emit-llvm", "-c", "-DTS_ANALYZE", NULL,
};

/* Compile file number i to bitcode with clang's options fixed[] and the
 * user's, and read it into ctx; NULL after an error. */
static LLVMModuleRef compilebc(Bld *b, LLVMContextRef ctx, int i, const char *const *fixed)
{
	const TsBuild *bo = b->bo;
	int k, n = 0;
	char **argv = fg_alloc((16 + bo->nccargs) * sizeof *argv), name[32], *dot = NULL;
	const char *bc;
	LLVMMemoryBufferRef mb;
	LLVMModuleRef mod = NULL;
	char *msg = NULL;

	snprintf(name, sizeof name, "m%d.bc", i);
	bc = tpath(b, 0, name);
	for (k = 0; fixed[k]; k++)
		argv[n++] = (char *)fixed[k];
	for (k = 0; k < bo->nccargs; k++)
		argv[n++] = (char *)bo->ccargs[k];
	if (bo->files[i][0] == '-') {
		dot = fg_alloc(strlen(bo->files[i]) + 3);
		sprintf(dot, "./%s", bo->files[i]);
	}
	argv[n++] = dot ? dot : (char *)bo->files[i];
	argv[n++] = "-o";
	argv[n++] = (char *)bc;
	argv[n] = NULL;
	k = run(bo->files[i], argv);
	fg_free(argv);
	fg_free(dot);
	if (k < 0)
		return NULL;
	if (LLVMCreateMemoryBufferWithContentsOfFile(bc, &mb, &msg)) {
		fg_errorat(bo->files[i], 0, "cannot read clang's bitcode: %s", msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return NULL;
	}
	if (LLVMParseBitcodeInContext2(ctx, mb, &mod)) {
		fg_errorat(bo->files[i], 0, "cannot parse clang's bitcode");
		mod = NULL;
	}
	LLVMDisposeMemoryBuffer(mb);
	return mod;
}

/* Internal symbols get renamed by the linker when names collide, from a
 * counter that every collision (string literals included) advances, so the
 * importer's names depend on everything its modules hold: the hint
 * markers' strings shift them.  Hence the build links the importer's
 * modules once more, each internal symbol tagged with its file and its
 * name there (metadata "ts.orig" survives the link), and reads off the
 * names the link gave; the plain modules' internal symbols are renamed
 * ts_static_<that name> before their own link, which then renames
 * nothing. */

typedef void Hook(Bld *b, LLVMModuleRef m1, int i);

static int isinternal(LLVMValueRef v)
{
	LLVMLinkage l = LLVMGetLinkage(v);
	size_t len;

	LLVMGetValueName2(v, &len);
	return (l == LLVMInternalLinkage || l == LLVMPrivateLinkage) && len > 0 &&
	       !LLVMIsDeclaration(v);
}

/* The next function or global variable of m after v (first if v is NULL). */
static LLVMValueRef nextsym(LLVMModuleRef m, LLVMValueRef v)
{
	if (!v)
		return LLVMGetFirstFunction(m) ? LLVMGetFirstFunction(m) : LLVMGetFirstGlobal(m);
	if (LLVMIsAFunction(v))
		return LLVMGetNextFunction(v) ? LLVMGetNextFunction(v) : LLVMGetFirstGlobal(m);
	return LLVMGetNextGlobal(v);
}

/* "I:NAME" for symbol v of file i. */
static char *origkey(LLVMValueRef v, int i)
{
	size_t len;
	const char *name = LLVMGetValueName2(v, &len);
	char *key = fg_alloc(len + 16);

	sprintf(key, "%d:%s", i, name);
	return key;
}

/* Hook of the importer's link: tag the internal symbols of file i. */
static void tag(Bld *b, LLVMModuleRef m1, int i)
{
	LLVMContextRef ctx = LLVMGetModuleContext(m1);
	unsigned kind = LLVMGetMDKindIDInContext(ctx, "ts.orig", 7);
	LLVMValueRef v;

	for (v = nextsym(m1, NULL); v; v = nextsym(m1, v))
		if (isinternal(v)) {
			char *key = origkey(v, i);
			LLVMMetadataRef s = LLVMMDStringInContext2(ctx, key, strlen(key));
			LLVMGlobalSetMetadata(v, kind, LLVMMDNodeInContext2(ctx, &s, 1));
			fg_free(key);
		}
}

/* After the importer's link: record every tagged symbol's new name. */
static void readtags(Bld *b, LLVMModuleRef mod)
{
	LLVMContextRef ctx = LLVMGetModuleContext(mod);
	unsigned kind = LLVMGetMDKindIDInContext(ctx, "ts.orig", 7), len, k;
	LLVMValueRef v, op;
	size_t n, nlen;

	for (v = nextsym(mod, NULL); v; v = nextsym(mod, v)) {
		LLVMValueMetadataEntry *e = LLVMGlobalCopyAllMetadata(v, &n);
		for (k = 0; k < n; k++)
			if (LLVMValueMetadataEntriesGetKind(e, k) == kind) {
				LLVMValueRef node = LLVMMetadataAsValue(ctx,
					LLVMValueMetadataEntriesGetMetadata(e, k));
				const char *key, *name = LLVMGetValueName2(v, &nlen);
				Name nm;
				if (LLVMGetMDNodeNumOperands(node) != 1)
					continue;
				LLVMGetMDNodeOperands(node, &op);
				key = LLVMGetMDString(op, &len);
				nm.key = fg_alloc(len + 1);
				memcpy(nm.key, key, len);
				nm.key[len] = 0;
				nm.linked = fg_alloc(nlen + 1);
				memcpy(nm.linked, name, nlen + 1);
				fg_vpush(&b->names, nm);
			}
		if (e)
			LLVMDisposeValueMetadataEntries(e);
	}
}

/* prefix + name with every character that is not a letter, digit or '_'
 * replaced by '_' (gen.c's ident()). */
static char *mangle(const char *prefix, const char *name)
{
	size_t n = strlen(prefix), i;
	char *s = fg_alloc(n + strlen(name) + 1);

	strcpy(s, prefix);
	for (i = 0; name[i]; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		s[n + i] = ok ? c : '_';
	}
	s[n + i] = 0;
	return s;
}

/* Give global value v the external hidden name want.  Fails if the name
 * is taken (LLVM would pick another one). */
static int rename1(Bld *b, LLVMValueRef v, const char *want)
{
	size_t len;
	char *old = fg_alloc(strlen(LLVMGetValueName2(v, &len)) + 1);
	int rc = 0;

	strcpy(old, LLVMGetValueName2(v, &len));
	LLVMSetValueName2(v, want, strlen(want));
	if (strcmp(LLVMGetValueName2(v, &len), want) != 0)
		rc = fg_errorat(b->bo->files[0], 0, "cannot name '%s' '%s': the name is taken", old, want);
	LLVMSetLinkage(v, LLVMExternalLinkage);
	LLVMSetVisibility(v, LLVMHiddenVisibility);
	fg_free(old);
	return rc;
}

/* Hook of the plain link: name the internal symbols of file i that the
 * importer knows ts_static_<the importer's name>.  The others (such as
 * strings only the plain build has) stay internal: nothing refers to them.
 * The portal keeps its name (rewrite() renames it). */
static void externalise(Bld *b, LLVMModuleRef m1, int i)
{
	LLVMValueRef v, next;
	size_t k, len;

	for (v = nextsym(m1, NULL); v; v = next) {
		next = nextsym(m1, v);
		if (!isinternal(v) || strcmp(LLVMGetValueName2(v, &len), b->bo->portal) == 0)
			continue;
		char *key = origkey(v, i);
		for (k = 0; k < fg_vlen(b->names); k++)
			if (strcmp(b->names[k].key, key) == 0) {
				char *want = mangle("ts_static_", b->names[k].linked);
				if (rename1(b, v, want) < 0)
					b->err = -1;
				fg_free(want);
				break;
			}
		fg_free(key);
	}
}

/* The files compiled with fixed[] and linked into one module of ctx, in
 * order, hook(m1, i) run on each before its link; NULL after an error. */
static LLVMModuleRef linkall(Bld *b, LLVMContextRef ctx, const char *const *fixed, Hook *hook)
{
	const char *cur = NULL;
	LLVMModuleRef mod = NULL, m1;
	int i, err = 0;

	LLVMContextSetDiagnosticHandler(ctx, diag, &cur);
	for (i = 0; i < b->bo->nfiles && !err; i++) {
		cur = b->bo->files[i];
		if (!(m1 = compilebc(b, ctx, i, fixed))) {
			err = 1;
			continue;
		}
		hook(b, m1, i);
		if (!mod)
			mod = m1;
		else if (LLVMLinkModules2(mod, m1))
			err = 1;
	}
	if ((err || b->err) && mod) {
		LLVMDisposeModule(mod);
		mod = NULL;
	}
	return mod;
}

/* Step 0: the importer's names of the internal symbols, into b->names. */
static int importnames(Bld *b)
{
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef mod = linkall(b, ctx, anaflags, tag);

	if (mod) {
		readtags(b, mod);
		LLVMDisposeModule(mod);
	}
	LLVMContextDispose(ctx);
	return mod ? 0 : -1;
}

/* The rewrite of the linked plain module: the portal's definition renamed
 * ts_plain_NAME, its uses redirected to a new declaration NAME (the JIT
 * entry).  Requires the portal to be defined. */
static int rewrite(Bld *b, LLVMModuleRef mod)
{
	const char *name = b->bo->portal;
	LLVMValueRef pf = LLVMGetNamedFunction(mod, name), entry;
	char *want;
	int rc;

	if (!pf || LLVMIsDeclaration(pf))
		return fg_errorat(b->bo->files[0], 0, "no function '%s' defined (the --portal)", name);
	want = mangle("ts_plain_", name);
	rc = rename1(b, pf, want);
	fg_free(want);
	if (rc < 0)
		return -1;
	entry = LLVMAddFunction(mod, name, LLVMGlobalGetValueType(pf));
	LLVMReplaceAllUsesWith(pf, entry);
	return 0;
}

/* Every ts_static_ asm label of the extension must be defined by the
 * rewritten module. */
static int checknames(Bld *b, LLVMModuleRef mod)
{
	static const char tag[] = "__asm__(\"ts_static_";
	const char *p = b->ext, *q;
	char name[512];
	int err = 0;

	while ((p = strstr(p, tag))) {
		p += sizeof "__asm__(\"" - 1;
		if (!(q = strchr(p, '"')) || (size_t)(q - p) >= sizeof name)
			break;
		memcpy(name, p, q - p);
		name[q - p] = 0;
		p = q;
		if (!LLVMGetNamedFunction(mod, name) && !LLVMGetNamedGlobal(mod, name))
			err = fg_errorat(b->bo->files[0], 0,
				"the generating extension refers to '%s', which the plain build does "
				"not define (the importer's and the plain module's names disagree)", name);
	}
	return err;
}

/* Step 1: the plain object, plain.o in the temporary directory. */
static int plain(Bld *b)
{
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef mod = linkall(b, ctx, plainflags, externalise);
	char *msg = NULL, *argv[8];
	const char *bc = tpath(b, 1, "plain.bc");
	int rc = -1;

	if (!mod)
		goto out;
	if (rewrite(b, mod) < 0 || checknames(b, mod) < 0)
		goto out;
	if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
		fg_errorat(b->bo->files[0], 0, "the rewritten plain module is invalid: %s", msg);
		goto out;
	}
	if (LLVMWriteBitcodeToFile(mod, bc) != 0) {
		fg_errorat(bc, 0, "cannot write bitcode");
		goto out;
	}
	argv[0] = CLANG;
	argv[1] = "-O2";
	argv[2] = "-c";
	argv[3] = (char *)bc;
	argv[4] = "-o";
	argv[5] = (char *)tpath(b, 2, "plain.o");
	argv[6] = NULL;
	rc = run(b->bo->files[0], argv);
out:
	LLVMDisposeMessage(msg);
	if (mod)
		LLVMDisposeModule(mod);
	LLVMContextDispose(ctx);
	return rc;
}

/* ---- the extension ------------------------------------------------------ */

/* Step 2a: import, annotate and generate the extension's text into b->ext. */
static int gen(Bld *b)
{
	const TsBuild *bo = b->bo;
	FgModule *m = fg_import(bo->files, bo->nfiles, bo->ccargs, bo->nccargs);
	HaResult *r = NULL;
	FILE *o;
	int rc = -1;

	if (!m || fg_verify(m) > 0)
		goto out;
	if (!(r = ha_annotate(m, bo->portal, NULL)))
		goto out;
	if (!(o = open_memstream(&b->ext, &b->extlen))) {
		fg_errorat(bo->files[0], 0, "out of memory");
		goto out;
	}
	rc = ts_gen(o, m, r);
	if (fclose(o) != 0)
		rc = -1;
out:
	if (r)
		ha_free(r);
	if (m)
		fg_freemodule(m);
	return rc;
}

/* Step 2b: write the extension and compile it to ext.o. */
static int compileext(Bld *b)
{
	const TsBuild *bo = b->bo;
	const char *c = tpath(b, 0, "ext.c");
	char inc1[4200], inc2[4200], *argv[12];
	FILE *f = fopen(c, "w");

	if (!f || fwrite(b->ext, 1, b->extlen, f) != b->extlen || fclose(f) != 0)
		return fg_errorat(c, 0, "cannot write the generating extension");
	snprintf(inc1, sizeof inc1, "-I%s/timeshift/rt", bo->root);
	snprintf(inc2, sizeof inc2, "-I%s/codegen/x86", bo->root);
	argv[0] = (char *)bo->cc;
	argv[1] = "-O2";
	argv[2] = "-w";
	argv[3] = "-fPIC"; /* module symbols are data labels: reach them through the GOT */
	argv[4] = inc1;
	argv[5] = inc2;
	argv[6] = "-c";
	argv[7] = (char *)c;
	argv[8] = "-o";
	argv[9] = (char *)tpath(b, 1, "ext.o");
	argv[10] = NULL;
	return run(bo->files[0], argv);
}

/* ---- link, driver ------------------------------------------------------- */

/* Step 3: plain.o + ext.o + the runtime libraries -> bo->out. */
static int linkvm(Bld *b)
{
	const TsBuild *bo = b->bo;
	char rt[4200], x86[4200], *argv[12];

	snprintf(rt, sizeof rt, "%s/build/libtsrt.a", bo->root);
	snprintf(x86, sizeof x86, "%s/build/libx86.a", bo->root);
	if (access(rt, R_OK) < 0 || access(x86, R_OK) < 0)
		return fg_errorat(access(rt, R_OK) < 0 ? rt : x86, 0,
			"missing runtime library (run make in %s)", bo->root);
	argv[0] = (char *)bo->cc;
	argv[1] = "-o";
	argv[2] = (char *)bo->out;
	argv[3] = (char *)tpath(b, 0, "plain.o");
	argv[4] = (char *)tpath(b, 1, "ext.o");
	argv[5] = rt;
	argv[6] = x86;
	argv[7] = "-lcapstone";
	argv[8] = "-lm";
	argv[9] = NULL;
	return run(bo->out, argv);
}

/* Remove the temporary directory and what is in it (no subfolders). */
static void cleanup(Bld *b)
{
	DIR *d = opendir(b->tmp);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(tpath(b, 3, e->d_name));
	closedir(d);
	rmdir(b->tmp);
}

int ts_build(const TsBuild *bo)
{
	const char *tmpdir = getenv("TMPDIR");
	Bld b;
	int i, rc;

	memset(&b, 0, sizeof b);
	b.bo = bo;
	for (i = 0; i < bo->nfiles; i++) {
		size_t n = strlen(bo->files[i]);
		if (n < 3 || strcmp(bo->files[i] + n - 2, ".c") != 0)
			return fg_errorat(bo->files[i], 0, "tsgen build takes C files only");
	}
	if (!tmpdir || !*tmpdir || strlen(tmpdir) > 40)
		tmpdir = "/tmp";
	snprintf(b.tmp, sizeof b.tmp, "%s/tsbuild.XXXXXX", tmpdir);
	if (!mkdtemp(b.tmp))
		return fg_errorat(b.tmp, 0, "cannot make a temporary directory: %s", strerror(errno));
	b.names = fg_vnew(0, sizeof(Name));
	rc = gen(&b);
	if (rc == 0)
		rc = importnames(&b);
	if (rc == 0)
		rc = plain(&b);
	if (rc == 0)
		rc = compileext(&b);
	if (rc == 0)
		rc = linkvm(&b);
	if (rc < 0)
		unlink(bo->out);
	cleanup(&b);
	free(b.ext);
	for (i = 0; i < (int)fg_vlen(b.names); i++) {
		fg_free(b.names[i].key);
		fg_free(b.names[i].linked);
	}
	fg_vfree(b.names);
	return rc < 0 ? -1 : 0;
}

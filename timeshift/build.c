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
 *           gets the external hidden name ts_static_NAME -> bitcode ->
 *           clang-14 -O2 -c (the whole -O2 pipeline runs now);
 *   ext     fg_import (TS_ANALYZE) -> ha_annotate -> ts_gen -> C ->
 *           cc -O2 -I ROOT/timeshift/rt -I ROOT/codegen/x86 -c;
 *
 * then cc links both with ROOT/build/libtsrt.a and ROOT/build/libx86.a.
 * The extension names module symbols through asm labels; before anything
 * is compiled, every ts_static_ label it uses must be defined by the
 * rewritten module (the importer and the plain build link the same files
 * in the same order, so internal names agree; a mismatch is an error, not
 * a link failure).  All temporaries live in one directory, removed at the
 * end whatever happens. */
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
typedef struct {
	const TsBuild *bo;   /* the request */
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

/* Compile file number i to bitcode as a plain -O2 build would (frontend
 * only) and read it into ctx; NULL after an error. */
static LLVMModuleRef plainbc(Bld *b, LLVMContextRef ctx, int i)
{
	static const char *const fixed[] = {
		CLANG, "-O2", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c",
	};
	const TsBuild *bo = b->bo;
	int nf = sizeof fixed / sizeof fixed[0], k, n = 0;
	char **argv = fg_alloc((nf + bo->nccargs + 4) * sizeof *argv), name[32];
	const char *bc;
	LLVMMemoryBufferRef mb;
	LLVMModuleRef mod = NULL;
	char *msg = NULL;

	snprintf(name, sizeof name, "plain%d.bc", i);
	bc = tpath(b, 0, name);
	for (k = 0; k < nf; k++)
		argv[n++] = (char *)fixed[k];
	for (k = 0; k < bo->nccargs; k++)
		argv[n++] = (char *)bo->ccargs[k];
	argv[n++] = (char *)bo->files[i];
	argv[n++] = "-o";
	argv[n++] = (char *)bc;
	argv[n] = NULL;
	k = run(bo->files[i], argv);
	fg_free(argv);
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

/* The plain files linked into one module of ctx, in order; NULL after an
 * error. */
static LLVMModuleRef plainmodule(Bld *b, LLVMContextRef ctx)
{
	const char *cur = NULL;
	LLVMModuleRef mod = NULL, m1;
	int i, err = 0;

	LLVMContextSetDiagnosticHandler(ctx, diag, &cur);
	for (i = 0; i < b->bo->nfiles && !err; i++) {
		cur = b->bo->files[i];
		if (!(m1 = plainbc(b, ctx, i)))
			err = 1;
		else if (!mod)
			mod = m1;
		else if (LLVMLinkModules2(mod, m1))
			err = 1;
	}
	if (err && mod) {
		LLVMDisposeModule(mod);
		mod = NULL;
	}
	return mod;
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

/* Give global value v the external hidden name prefix+NAME.  Fails if the
 * name is taken (LLVM would pick another one). */
static int rename1(Bld *b, LLVMValueRef v, const char *prefix)
{
	size_t len;
	const char *old = LLVMGetValueName2(v, &len);
	char *want = mangle(prefix, old);
	const char *got;
	int rc = 0;

	LLVMSetValueName2(v, want, strlen(want));
	got = LLVMGetValueName2(v, &len);
	if (strcmp(got, want) != 0)
		rc = fg_errorat(b->bo->files[0], 0, "cannot name '%s' '%s': the name is taken", old, want);
	LLVMSetLinkage(v, LLVMExternalLinkage);
	LLVMSetVisibility(v, LLVMHiddenVisibility);
	fg_free(want);
	return rc;
}

static int isinternal(LLVMValueRef v)
{
	LLVMLinkage l = LLVMGetLinkage(v);
	size_t len;

	LLVMGetValueName2(v, &len);
	return (l == LLVMInternalLinkage || l == LLVMPrivateLinkage) && len > 0 &&
	       !LLVMIsDeclaration(v);
}

/* The rewrite: internal symbols externalised as ts_static_NAME, the
 * portal's definition renamed ts_plain_NAME, its uses redirected to a new
 * declaration NAME.  Requires the portal to be defined. */
static int rewrite(Bld *b, LLVMModuleRef mod)
{
	const char *name = b->bo->portal;
	LLVMValueRef pf = LLVMGetNamedFunction(mod, name), v, entry;
	int err = 0;

	if (!pf || LLVMIsDeclaration(pf))
		return fg_errorat(b->bo->files[0], 0, "no function '%s' defined (the --portal)", name);
	for (v = LLVMGetFirstFunction(mod); v; v = LLVMGetNextFunction(v))
		if (v != pf && isinternal(v) && rename1(b, v, "ts_static_") < 0)
			err = -1;
	for (v = LLVMGetFirstGlobal(mod); v; v = LLVMGetNextGlobal(v))
		if (isinternal(v) && rename1(b, v, "ts_static_") < 0)
			err = -1;
	if (rename1(b, pf, "ts_plain_") < 0)
		return -1;
	entry = LLVMAddFunction(mod, name, LLVMGlobalGetValueType(pf));
	LLVMReplaceAllUsesWith(pf, entry);
	return err;
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
	LLVMModuleRef mod = plainmodule(b, ctx);
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
	rc = gen(&b);
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
	return rc < 0 ? -1 : 0;
}

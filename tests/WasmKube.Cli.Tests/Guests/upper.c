/* Copies stdin to stdout in upper case and reports the byte count on stderr: the guest's inherited stdio. */
#include <ctype.h>
#include <stdio.h>

int main(void) {
    long count = 0;
    int c;
    while ((c = getchar()) != EOF) {
        putchar(toupper(c));
        count++;
    }
    fprintf(stderr, "%ld bytes\n", count);
    return 0;
}

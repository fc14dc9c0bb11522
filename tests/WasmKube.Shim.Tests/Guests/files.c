// Test guest: "write PATH TEXT" creates PATH with TEXT, "read PATH" prints PATH's content, "ls DIR" prints DIR's
// entries sorted; each command prints one result line ("write PATH: ok" or "write PATH: failed (errno N)").
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *command = argv[i], *path = argv[i + 1];
        if (strcmp(command, "write") == 0) {
            FILE *file = fopen(path, "w");
            if (!file || fputs("written by the guest", file) < 0 || fclose(file) != 0) printf("write %s: failed (errno %d)\n", path, errno);
            else printf("write %s: ok\n", path);
        } else if (strcmp(command, "read") == 0) {
            char buffer[256] = {0};
            FILE *file = fopen(path, "r");
            if (!file) { printf("read %s: failed (errno %d)\n", path, errno); continue; }
            fread(buffer, 1, sizeof buffer - 1, file);
            fclose(file);
            printf("read %s: %s\n", path, buffer);
        } else if (strcmp(command, "ls") == 0) {
            DIR *dir = opendir(path);
            if (!dir) { printf("ls %s: failed (errno %d)\n", path, errno); continue; }
            char *names[256];
            int count = 0;
            for (struct dirent *entry; (entry = readdir(dir)) && count < 256;) {
                if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) names[count++] = strdup(entry->d_name);
            }
            closedir(dir);
            qsort(names, count, sizeof *names, compare);
            printf("ls %s:", path);
            for (int n = 0; n < count; n++) printf(" %s", names[n]);
            printf("\n");
        }
    }
    return 0;
}

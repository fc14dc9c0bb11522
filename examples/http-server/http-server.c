/*
 * A tiny HTTP/1.0 file server for a WASI guest. The guest cannot create sockets: it serves on a listening socket the
 * host preopened (wasmkube run --listen HOST:PORT), found as the first socket fd from 3 on, and reads files from the
 * directory it is given (wasmkube run --dir /docroot:HOSTDIR).
 *
 *   http-server [DOCROOT]    DOCROOT defaults to /docroot
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQUEST_MAX 8192

static int find_listener(void) {
    for (int fd = 3; fd < 1024; fd++) {
        struct stat status;
        if (fstat(fd, &status) == 0 && S_ISSOCK(status.st_mode)) return fd;
        if (errno == EBADF) continue;
    }
    return -1;
}

static int send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, 0);
        if (sent < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        data += sent;
        length -= (size_t)sent;
    }
    return 0;
}

static const char *content_type(const char *path) {
    const char *dot = strrchr(path, '.');
    if (dot == NULL) return "application/octet-stream";
    if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0) return "text/html; charset=utf-8";
    if (strcmp(dot, ".txt") == 0 || strcmp(dot, ".php") == 0) return "text/plain; charset=utf-8";
    if (strcmp(dot, ".css") == 0) return "text/css";
    if (strcmp(dot, ".js") == 0) return "text/javascript";
    if (strcmp(dot, ".json") == 0) return "application/json";
    if (strcmp(dot, ".png") == 0) return "image/png";
    return "application/octet-stream";
}

static int respond_status(int client, int status, const char *reason) {
    char response[256];
    int length = snprintf(response, sizeof response,
                          "HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
                          status, reason, strlen(reason) + 1, reason);
    send_all(client, response, (size_t)length);
    return status;
}

static int serve(int client, const char *docroot) {
    char request[REQUEST_MAX + 1];
    size_t used = 0;
    while (used < REQUEST_MAX) {
        ssize_t received = recv(client, request + used, REQUEST_MAX - used, 0);
        if (received <= 0) break;
        used += (size_t)received;
        request[used] = '\0';
        if (strstr(request, "\r\n\r\n") != NULL || strstr(request, "\n\n") != NULL) break;
    }
    request[used] = '\0';

    char method[16], target[2048];
    if (sscanf(request, "%15s %2047s", method, target) != 2) return respond_status(client, 400, "Bad Request");
    printf("%s %s ", method, target);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) return respond_status(client, 405, "Method Not Allowed");
    char *query = strchr(target, '?');
    if (query != NULL) *query = '\0';
    if (target[0] != '/' || strstr(target, "..") != NULL) return respond_status(client, 400, "Bad Request");

    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", docroot, target, target[strlen(target) - 1] == '/' ? "index.html" : "");
    int file = open(path, O_RDONLY);
    struct stat status;
    if (file < 0 || fstat(file, &status) != 0 || !S_ISREG(status.st_mode)) {
        if (file >= 0) close(file);
        return respond_status(client, 404, "Not Found");
    }

    char header[512];
    int length = snprintf(header, sizeof header,
                          "HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: %lld\r\nConnection: close\r\n\r\n",
                          content_type(path), (long long)status.st_size);
    send_all(client, header, (size_t)length);
    if (strcmp(method, "GET") == 0) {
        char buffer[16384];
        ssize_t read_bytes;
        while ((read_bytes = read(file, buffer, sizeof buffer)) > 0) {
            if (send_all(client, buffer, (size_t)read_bytes) != 0) break;
        }
    }
    close(file);
    return 200;
}

int main(int argc, char **argv) {
    const char *docroot = argc > 1 ? argv[1] : "/docroot";
    int listener = find_listener();
    if (listener < 0) {
        fprintf(stderr, "http-server: no listening socket was preopened (run with --listen HOST:PORT)\n");
        return 2;
    }
    printf("serving %s on fd %d\n", docroot, listener);
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) continue;
            fprintf(stderr, "http-server: accept: %s\n", strerror(errno));
            return 1;
        }
        int status = serve(client, docroot);
        printf("%d\n", status);
        fflush(stdout);
        shutdown(client, SHUT_RDWR);
        close(client);
    }
}

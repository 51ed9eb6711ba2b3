/* yima-load: a closed-loop HTTP/1.1 load generator for the load campaign (issue 16 §5,
 * scripts/load-test.sh). Each of C keep-alive connections sends GET of a random path
 * from a file, waits for the whole answer, and sends the next, for D seconds; then it
 * sends no more and waits for every answer in flight, so that its count of answers is
 * exact (wrk stops with requests in flight, which a server may have counted). Prints one
 * JSON object: answers by status class, errors, latency percentiles.
 *   usage: yima-load HOST PORT PATHS_FILE CONNECTIONS SECONDS [ACCEPT]
 * Loopback only by intent: HOST must be 127.0.0.1 or localhost. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUCKET_US 10
#define BUCKETS 1000000 /* 10 s at 10 µs */
#define BUFFER 65536

struct connection {
    int fd, busy;
    char request[4096];
    size_t request_length, sent;
    char *response;
    size_t received;
    uint64_t started_ns;
};

static char **paths;
static size_t path_count;
static uint64_t *histogram;
static uint64_t statuses[6], errors_connect, errors_read, errors_parse, answers;
static struct sockaddr_in address;
static const char *accept_header = "application/json";
static uint64_t rng = 88172645463325252ULL;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static uint64_t next_random(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}

static int open_connection(int epoll, struct connection *c) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&address, sizeof address) != 0 && errno != EINPROGRESS) {
        close(c->fd);
        return -1;
    }
    struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &event);
    return 0;
}

static void start_request(int epoll, struct connection *c) {
    const char *path = paths[next_random() % path_count];
    c->request_length = (size_t)snprintf(c->request, sizeof c->request,
        "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nUser-Agent: yima-load\r\n\r\n", path, accept_header);
    c->sent = 0;
    c->received = 0;
    c->busy = 1;
    c->started_ns = now_ns();
    struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
}

/* 1: a whole answer is in the buffer (status in *status); 0: not yet; -1: unparsable. */
static int complete_answer(struct connection *c, int *status) {
    c->response[c->received] = 0;
    char *end = strstr(c->response, "\r\n\r\n");
    if (!end) return c->received >= BUFFER - 1 ? -1 : 0;
    if (strncmp(c->response, "HTTP/1.1 ", 9) != 0) return -1;
    *status = atoi(c->response + 9);
    long length = -1;
    for (char *line = strstr(c->response, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "content-length:", 15) == 0) length = atol(line + 17);
        if (strncasecmp(line + 2, "transfer-encoding:", 18) == 0) return -1;
    }
    if (length < 0) return -1;
    size_t total = (size_t)(end + 4 - c->response) + (size_t)length;
    if (total >= BUFFER) return -1;
    return c->received >= total ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: yima-load HOST PORT PATHS_FILE CONNECTIONS SECONDS [ACCEPT]\n");
        return 64;
    }
    if (strcmp(argv[1], "127.0.0.1") != 0 && strcmp(argv[1], "localhost") != 0) {
        fprintf(stderr, "yima-load: loopback only\n");
        return 64;
    }
    if (argc > 6) accept_header = argv[6];
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)atoi(argv[2]));
    address.sin_addr.s_addr = inet_addr("127.0.0.1");
    int count = atoi(argv[4]);
    double seconds = atof(argv[5]);

    FILE *file = fopen(argv[3], "r");
    if (!file) { perror(argv[3]); return 1; }
    size_t capacity = 1024;
    paths = malloc(capacity * sizeof *paths);
    char line[4096];
    while (fgets(line, sizeof line, file)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (path_count == capacity) paths = realloc(paths, (capacity *= 2) * sizeof *paths);
        paths[path_count++] = strdup(line);
    }
    fclose(file);
    if (!path_count) { fprintf(stderr, "yima-load: no paths\n"); return 1; }
    rng ^= (uint64_t)now_ns();
    histogram = calloc(BUCKETS + 1, sizeof *histogram);

    int epoll = epoll_create1(0);
    struct connection *connections = calloc((size_t)count, sizeof *connections);
    for (int i = 0; i < count; i++) {
        connections[i].response = malloc(BUFFER);
        if (open_connection(epoll, &connections[i]) != 0) { errors_connect++; connections[i].fd = -1; continue; }
        start_request(epoll, &connections[i]);
    }
    uint64_t started = now_ns(), deadline = started + (uint64_t)(seconds * 1e9), hard_stop = deadline + 30000000000ULL;
    int open_count = count;
    struct epoll_event events[256];
    while (open_count > 0 && now_ns() < hard_stop) {
        int ready = epoll_wait(epoll, events, 256, 100);
        for (int i = 0; i < ready; i++) {
            struct connection *c = events[i].data.ptr;
            if (c->fd < 0) continue;
            if ((events[i].events & EPOLLOUT) && c->busy && c->sent < c->request_length) {
                ssize_t n = send(c->fd, c->request + c->sent, c->request_length - c->sent, MSG_NOSIGNAL);
                if (n > 0) c->sent += (size_t)n;
                if (c->sent == c->request_length) {
                    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
                }
            }
            if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            ssize_t n = recv(c->fd, c->response + c->received, BUFFER - 1 - c->received, 0);
            if (n > 0) c->received += (size_t)n;
            int status = 0, state = n > 0 ? complete_answer(c, &status) : -2;
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (state == 0) continue;
            if (state == 1) {
                uint64_t elapsed = (now_ns() - c->started_ns) / 1000 / BUCKET_US;
                histogram[elapsed < BUCKETS ? elapsed : BUCKETS]++;
                statuses[status / 100 < 6 ? status / 100 : 0]++;
                answers++;
                c->busy = 0;
                if (now_ns() < deadline) { start_request(epoll, c); continue; }
            } else if (c->busy) {
                if (state == -1) errors_parse++; else errors_read++;
            }
            epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->fd = -1;
            open_count--;
            if (state != 1 && now_ns() < deadline && open_connection(epoll, c) == 0) {
                open_count++;
                start_request(epoll, c);
            }
        }
    }
    double elapsed = (double)(now_ns() - started) / 1e9;
    uint64_t seen = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
    for (uint64_t b = 0; b <= BUCKETS; b++) {
        if (!histogram[b]) continue;
        seen += histogram[b];
        if (!p50 && seen * 100 >= answers * 50) p50 = b;
        if (!p90 && seen * 100 >= answers * 90) p90 = b;
        if (!p99 && seen * 100 >= answers * 99) p99 = b;
        if (!p999 && seen * 1000 >= answers * 999) p999 = b;
        max = b;
    }
    printf("{\"connections\":%d,\"seconds\":%.2f,\"answers\":%llu,\"per_second\":%.0f,"
           "\"status_2xx\":%llu,\"status_3xx\":%llu,\"status_4xx\":%llu,\"status_5xx\":%llu,\"status_other\":%llu,"
           "\"errors_connect\":%llu,\"errors_read\":%llu,\"errors_parse\":%llu,\"unfinished\":%d,"
           "\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"p999_ms\":%.2f,\"max_ms\":%.2f}\n",
           count, elapsed, (unsigned long long)answers, answers / elapsed,
           (unsigned long long)statuses[2], (unsigned long long)statuses[3], (unsigned long long)statuses[4],
           (unsigned long long)statuses[5], (unsigned long long)(statuses[0] + statuses[1]),
           (unsigned long long)errors_connect, (unsigned long long)errors_read, (unsigned long long)errors_parse,
           open_count, p50 * BUCKET_US / 1000.0, p90 * BUCKET_US / 1000.0, p99 * BUCKET_US / 1000.0,
           p999 * BUCKET_US / 1000.0, max * BUCKET_US / 1000.0);
    return 0;
}

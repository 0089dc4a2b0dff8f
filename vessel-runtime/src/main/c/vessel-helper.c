/*
 * vessel-helper: applies a container plan computed by the Java runtime, then execs.
 *
 * Java does the thinking (config.json, validation, cgroups, seccomp compilation); this program
 * only applies. The JVM starts it as `vessel-helper MODE SOCKET` (ProcessBuilder, stdio
 * inherited). It first re-executes itself from a sealed memfd copy, so that /proc/<pid>/exe
 * never reaches a writable host file (CVE-2019-5736 class), then connects to SOCKET, a unix
 * socket the runtime listens on, and uses it as:
 *   fd 3  the plan: a 4-byte little-endian length, then NUL-terminated strings (see read_plan);
 *         then one "go" byte for the container process once Java has written its id maps,
 *         cgroups and oom_score_adj (and, in run mode, one "start" byte after the hooks).
 *   fd 4  reports to Java, one line each: "pid N", then "ok" or "err STATUS MESSAGE".
 *
 * Modes (argv[1]):
 *   create  clone the container process, report its pid and exit; the container process
 *           finishes its setup, reports, then blocks opening the exec fifo until `start`.
 *   run     the same, but the start byte comes over the socket; then wait for the container
 *           process and exit with its status (128+signal when killed), forwarding the usual
 *           terminating signals.
 *   In every mode, a plan with a "hostmount" record has the root file system mounted first, on
 *   the host (an engine's overlay); with "hostumount" too, run mode unmounts it after the exit.
 *   monitor SOCKET LOG EXIT [RESTART...]
 *           for detached containers, conmon's job: like run, but this process detaches (fork,
 *           setsid) and stays the container's parent: it holds the container's stdout and stderr,
 *           writes them to LOG as Docker's json-file lines, and when the container exits writes
 *           {"ExitCode":N,"FinishedAt":T} to EXIT (atomically), then execs RESTART (the engine's
 *           command that applies the restart policy) if given.
 *   -- CMD [ARG...]
 *           init (`run --init`): PID 1 inside the container, as tini/docker-init. Built a second
 *           time, statically (vessel-init), since it runs in images with any libc or none; the
 *           engine bind-mounts it read-only at /sbin/docker-init. Runs CMD in its own process
 *           group (the terminal's foreground one), forwards the signals it gets to it, reaps
 *           every orphan, and exits with CMD's status (128+signal when killed).
 *   mount SOURCE TARGET TYPE FLAGS DATA
 *   umount TARGET FLAGS
 *           one mount(2) or umount2(2) on the host (a container's overlay root file system), so that
 *           a short-lived JVM need not start its FFM linker for a single call. Empty TYPE or DATA
 *           is NULL. Exits 0, or with errno after printing strerror on stderr (255: bad usage).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <net/if.h>
#include <poll.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#define PLAN_FD 3
#define REPORT_FD 4
#define MAX_ITEMS 4096

/* The plan, as the list of its strings; records are a tag followed by a fixed number of fields. */
static char *plan_buf;
static char *items[MAX_ITEMS];
static int n_items;
static int reported; /* the report pipe is closed: failures go to stderr */

static void report(const char *fmt, ...) {
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof line - 2) n = sizeof line - 2;
    for (int i = 0; i < n; i++) if (line[i] == '\n') line[i] = ' ';
    line[n++] = '\n';
    if (write(REPORT_FD, line, n) < 0) { /* Java is gone: nothing to tell */ }
}

/* Reports a failure with the status the runtime should exit with, and ends this process. */
static void fail(int status, const char *fmt, ...) {
    char msg[3072];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (reported) {
        fprintf(stderr, "vessel: %s\n", msg);
    } else {
        report("err %d %s", status, msg);
    }
    _exit(status);
}

#define CHECK(expr, ...) do { if ((expr) < 0) fail(1, __VA_ARGS__); } while (0)

static int read_full(int fd, void *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t r = read(fd, (char *)buf + done, len - done);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        done += r;
    }
    return 0;
}

static void read_plan(void) {
    uint32_t len;
    if (read_full(PLAN_FD, &len, 4) < 0) fail(1, "reading the plan: %s", strerror(errno));
    plan_buf = malloc(len + 1);
    if (!plan_buf || read_full(PLAN_FD, plan_buf, len) < 0) fail(1, "reading the plan: truncated");
    plan_buf[len] = 0;
    for (char *p = plan_buf; p < plan_buf + len && n_items < MAX_ITEMS; p += strlen(p) + 1)
        items[n_items++] = p;
}

static int is(int i, const char *tag) { return strcmp(items[i], tag) == 0; }

/* Finds the first record with this tag; returns the index of its first field, or -1. */
static int find(const char *tag) {
    for (int i = 0; i < n_items; i++) if (is(i, tag)) return i + 1;
    return -1;
}

static unsigned long num(const char *s) { return strtoul(s, NULL, 0); }

/* Fields per tag, so the walkers can skip records they do not handle. */
static int fields(const char *tag) {
    static const struct { const char *tag; int n; } table[] = {
        {"clone", 1}, {"setns", 2}, {"rootfs", 1}, {"propagation", 1}, {"mount", 6},
        {"mkdir", 2}, {"mknod", 5}, {"bindnode", 1}, {"symlink", 2}, {"pivot", 0}, {"readonly", 0},
        {"mask", 1}, {"ro", 1}, {"sysctl", 2}, {"hostname", 1}, {"domainname", 1},
        {"rlimit", 3}, {"umask", 1}, {"cwd", 1}, {"uid", 1}, {"gid", 1}, {"group", 1},
        {"nnp", 0}, {"caps", 5}, {"seccomp", 1}, {"fifo", 1}, {"console", 1}, {"terminal", 0},
        {"env", 1}, {"arg", 1}, {"path", 1}, {"userns", 0}, {"hook", 3}, {"hookarg", 1}, {"hookenv", 1},
        {"synchooks", 0}, {"hostmount", 4}, {"hostumount", 0},
        {NULL, 0}};
    for (int i = 0; table[i].tag; i++) if (strcmp(table[i].tag, tag) == 0) return table[i].n;
    fail(1, "plan: unknown record %s", tag);
    return 0;
}

static void mkdir_p(const char *path, mode_t mode) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') { *p = 0; mkdir(tmp, mode); *p = '/'; }
    }
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) fail(1, "mkdir %s: %s", path, strerror(errno));
}

/* Makes the mount point: a file when binding a file, else a directory. */
static void mount_point(const char *src, const char *dst, unsigned long flags) {
    struct stat st;
    if ((flags & MS_BIND) && stat(src, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", dst);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) { *slash = 0; mkdir_p(parent, 0755); }
        int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EISDIR) fail(1, "creating mount point %s: %s", dst, strerror(errno));
        if (fd >= 0) close(fd);
    } else {
        mkdir_p(dst, 0755);
    }
}

#define PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

static void do_mount(const char *src, const char *dst, const char *type, unsigned long flags,
                     unsigned long prop, const char *data) {
    mount_point(src, dst, flags);
    if (flags & MS_BIND) {
        if (mount(src, dst, NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
            fail(1, "bind mount %s on %s: %s", src, dst, strerror(errno));
        unsigned long attrs = flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        if (attrs && mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | attrs, NULL) < 0)
            fail(1, "remount %s with its options: %s", dst, strerror(errno));
    } else if (mount(src, dst, type, flags, *data ? data : NULL) < 0) {
        fail(1, "mount %s (%s) on %s: %s", src, type, dst, strerror(errno));
    }
    for (unsigned long bit = MS_UNBINDABLE; bit <= MS_SHARED; bit <<= 1) {
        if ((prop & bit) && mount(NULL, dst, NULL, bit | (prop & MS_REC), NULL) < 0)
            fail(1, "setting propagation of %s: %s", dst, strerror(errno));
    }
}

static void write_file(const char *path, const char *value) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(1, "opening %s: %s", path, strerror(errno));
    if (write(fd, value, strlen(value)) < 0) fail(1, "writing %s: %s", path, strerror(errno));
    close(fd);
}

/* ---- hooks run in the container's namespaces (createContainer, startContainer) ---- */

static void write_all(int fd, const char *data, size_t n);
static char *hook_state; /* the state JSON Java sends after the go byte when the plan has hooks */
static uint32_t hook_state_len;

static void read_hook_state(void) {
    if (find("hook") < 0) return;
    uint32_t len;
    if (read_full(PLAN_FD, &len, 4) < 0) fail(1, "reading the hooks' state: %s", strerror(errno));
    hook_state = malloc(len + 1);
    if (!hook_state || read_full(PLAN_FD, hook_state, len) < 0) fail(1, "reading the hooks' state: truncated");
    hook_state_len = len;
}

static long elapsed_ms(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Output of a failed hook, on one line, for the error message. */
static void hook_output(int fd, char *out, size_t size) {
    ssize_t n = pread(fd, out, size - 1, 0);
    if (n < 0) n = 0;
    out[n] = 0;
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ')) out[--n] = 0;
    for (ssize_t i = 0; i < n; i++) if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
}

/* Runs one phase's hooks in order, each forked from here (so in the container's namespaces,
   cgroups and, for startContainer, root) with the state on stdin, its stdout and stderr kept
   for the error message, its timeout enforced. 0, or -1 with the first failure in msg. */
static int run_hooks(const char *phase, char *msg, size_t size) {
    int index = -1;
    for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
        if (!is(i, "hook") || strcmp(items[i + 1], phase) != 0) continue;
        index++;
        const char *path = items[i + 2];
        long timeout = strtol(items[i + 3], NULL, 10);
        char *argv[256], *envp[256];
        int argc = 0, envc = 0;
        for (int j = i + 4; j + 1 < n_items && (is(j, "hookarg") || is(j, "hookenv")); j += 2) {
            if (is(j, "hookarg")) { if (argc < 255) argv[argc++] = items[j + 1]; }
            else if (envc < 255) envp[envc++] = items[j + 1];
        }
        if (argc == 0) argv[argc++] = (char *)path;
        argv[argc] = NULL;
        envp[envc] = NULL;
        int in[2];
        int out = memfd_create("vessel-hook-output", MFD_CLOEXEC);
        if (out < 0 || pipe2(in, O_CLOEXEC) < 0) {
            snprintf(msg, size, "hook %s[%d] %s: %s", phase, index, path, strerror(errno));
            return -1;
        }
        pid_t pid = fork();
        if (pid < 0) {
            snprintf(msg, size, "hook %s[%d] %s: fork: %s", phase, index, path, strerror(errno));
            return -1;
        }
        if (pid == 0) {
            dup2(in[0], 0);
            dup2(out, 1);
            dup2(out, 2);
            syscall(SYS_close_range, 3, ~0U, 0);
            execve(path, argv, envp);
            dprintf(2, "exec %s: %s", path, strerror(errno));
            _exit(127);
        }
        close(in[0]);
        /* A hook need not read its stdin: its exit must not SIGPIPE us (restored before our exec). */
        struct sigaction ignore = {.sa_handler = SIG_IGN}, before;
        sigaction(SIGPIPE, &ignore, &before);
        if (hook_state_len > 0) write_all(in[1], hook_state, hook_state_len);
        sigaction(SIGPIPE, &before, NULL);
        close(in[1]);
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        int status = 0;
        for (;;) {
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid) break;
            if (r < 0 && errno != EINTR) { status = 0x7f00; break; }
            if (timeout > 0 && elapsed_ms(&start) >= timeout * 1000) {
                kill(pid, SIGKILL);
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
                close(out);
                snprintf(msg, size, "hook %s[%d] %s timed out after %lds", phase, index, path, timeout);
                return -1;
            }
            struct timespec pause = {0, elapsed_ms(&start) < 20 ? 200000 : 5000000};
            nanosleep(&pause, NULL);
        }
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            char output[1024];
            hook_output(out, output, sizeof output);
            int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
            snprintf(msg, size, "hook %s[%d] %s failed with exit status %d%s%s", phase, index, path, code,
                     *output ? ": " : "", output);
            close(out);
            return -1;
        }
        close(out);
    }
    return 0;
}

/* Everything that needs the new mount namespace, up to and including pivot_root. */
static void setup_rootfs(void) {
    int r = find("rootfs");
    if (r < 0) return;
    const char *rootfs = items[r];
    int p = find("propagation");
    unsigned long prop = p > 0 ? num(items[p]) : (MS_SLAVE | MS_REC);
    if (mount(NULL, "/", NULL, prop, NULL) < 0) fail(1, "making / %s: %s", "private", strerror(errno));
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        fail(1, "bind mount of the rootfs %s: %s", rootfs, strerror(errno));
    for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
        char **f = items + i + 1;
        if (is(i, "mount")) {
            do_mount(f[0], f[1], f[2], num(f[3]), num(f[4]), f[5]);
        } else if (is(i, "mkdir")) {
            mkdir_p(f[0], num(f[1]));
        } else if (is(i, "mknod")) {
            /* path mode(type|perm) major minor uid:gid */
            unlink(f[0]);
            if (mknod(f[0], num(f[1]), makedev(num(f[2]), num(f[3]))) < 0)
                fail(1, "mknod %s: %s", f[0], strerror(errno));
            chmod(f[0], num(f[1]) & 07777);
            unsigned int uid = 0, gid = 0;
            sscanf(f[4], "%u:%u", &uid, &gid);
            if (chown(f[0], uid, gid) < 0) fail(1, "chown %s: %s", f[0], strerror(errno));
        } else if (is(i, "bindnode")) {
            /* In a user namespace device nodes cannot be made: bind the host's instead. */
            const char *dst = f[0];
            const char *host = strstr(dst, "/dev/");
            int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
            if (fd >= 0) close(fd);
            if (!host || mount(host, dst, NULL, MS_BIND, NULL) < 0)
                fail(1, "bind mount of device %s: %s", dst, strerror(errno));
        } else if (is(i, "symlink")) {
            unlink(f[1]);
            if (symlink(f[0], f[1]) < 0) fail(1, "symlink %s: %s", f[1], strerror(errno));
        }
    }
    /* prestart and createRuntime: Java runs them now, in the runtime's namespaces, and says go. */
    if (find("synchooks") >= 0) {
        char go;
        report("hooks");
        if (read_full(PLAN_FD, &go, 1) < 0) _exit(1);
    }
    /* createContainer: the mounts are in place, the host's paths still resolve (before pivot_root). */
    char hook_err[2048];
    if (run_hooks("createContainer", hook_err, sizeof hook_err) < 0) fail(1, "%s", hook_err);
    if (find("pivot") >= 0) {
        if (chdir(rootfs) < 0) fail(1, "chdir %s: %s", rootfs, strerror(errno));
        /* Stack the old root under the new one, then detach it: no directory needed. */
        if (syscall(SYS_pivot_root, ".", ".") < 0) fail(1, "pivot_root %s: %s", rootfs, strerror(errno));
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail(1, "old root: %s", strerror(errno));
        if (umount2(".", MNT_DETACH) < 0) fail(1, "detaching the old root: %s", strerror(errno));
    } else {
        if (chdir(rootfs) < 0 || mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
            fail(1, "moving to the rootfs %s: %s", rootfs, strerror(errno));
    }
    if (chdir("/") < 0) fail(1, "chdir /: %s", strerror(errno));
}

/* After pivot_root: paths are the container's. */
static void finish_rootfs(void) {
    for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
        char **f = items + i + 1;
        if (is(i, "mask")) {
            struct stat st;
            if (stat(f[0], &st) < 0) continue;
            int rc = S_ISDIR(st.st_mode)
                ? mount("tmpfs", f[0], "tmpfs", MS_RDONLY, NULL)
                : mount("/dev/null", f[0], NULL, MS_BIND, NULL);
            if (rc < 0) fail(1, "masking %s: %s", f[0], strerror(errno));
        } else if (is(i, "ro")) {
            if (mount(f[0], f[0], NULL, MS_BIND | MS_REC, NULL) < 0) {
                if (errno == ENOENT) continue;
                fail(1, "readonly path %s: %s", f[0], strerror(errno));
            }
            if (mount(NULL, f[0], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC, NULL) < 0)
                fail(1, "readonly path %s: %s", f[0], strerror(errno));
        } else if (is(i, "sysctl")) {
            char path[4096];
            snprintf(path, sizeof path, "/proc/sys/%s", f[0]);
            for (char *c = path + 10; *c; c++) if (*c == '.') *c = '/';
            write_file(path, f[1]);
        }
    }
    if (find("readonly") >= 0 && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
        fail(1, "remounting / read-only: %s", strerror(errno));
}

/* Searches PATH the way execvp does, so a missing or non-executable program is reported
   before the container is declared created (127 and 126, as Docker). */
static const char *resolve(const char *name, char *buf, size_t len) {
    if (strchr(name, '/')) {
        snprintf(buf, len, "%s", name);
    } else {
        const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (int i = 0; i < n_items; i += 1 + fields(items[i]))
            if (is(i, "env") && strncmp(items[i + 1], "PATH=", 5) == 0) path = items[i + 1] + 5;
        int denied = 0;
        for (const char *p = path; ; ) {
            const char *end = strchrnul(p, ':');
            snprintf(buf, len, "%.*s/%s", (int)(end - p), p, name);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
                if (access(buf, X_OK) == 0) return buf;
                denied = 1;
            }
            if (!*end) break;
            p = end + 1;
        }
        if (denied) fail(126, "exec: %s: permission denied", name);
        fail(127, "exec: \"%s\": executable file not found in $PATH", name);
    }
    struct stat st;
    if (stat(buf, &st) < 0) fail(127, "exec: %s: %s", name, strerror(errno));
    if (S_ISDIR(st.st_mode)) fail(126, "exec: %s: is a directory", name);
    if (access(buf, X_OK) < 0) fail(126, "exec: %s: %s", name, strerror(errno));
    return buf;
}

static void set_identity_and_caps(void) {
    int c = find("caps");
    uint64_t eff = ~0ULL, perm = ~0ULL, inh = 0, bnd = ~0ULL, amb = 0;
    if (c > 0) {
        bnd = strtoull(items[c], NULL, 16);
        eff = strtoull(items[c + 1], NULL, 16);
        perm = strtoull(items[c + 2], NULL, 16);
        inh = strtoull(items[c + 3], NULL, 16);
        amb = strtoull(items[c + 4], NULL, 16);
        for (int cap = 0; cap <= 63; cap++) {
            if (bnd & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
                fail(1, "dropping capability %d from the bounding set: %s", cap, strerror(errno));
        }
    }
    gid_t groups[256];
    int ngroups = 0;
    for (int i = 0; i < n_items; i += 1 + fields(items[i]))
        if (is(i, "group") && ngroups < 256) groups[ngroups++] = num(items[i + 1]);
    int u = find("uid"), g = find("gid");
    uid_t uid = u > 0 ? num(items[u]) : 0;
    gid_t gid = g > 0 ? num(items[g]) : 0;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail(1, "keepcaps: %s", strerror(errno));
    if (setgroups(ngroups, groups) < 0 && !(errno == EPERM && ngroups == 0))
        fail(1, "setgroups: %s", strerror(errno));
    if (setresgid(gid, gid, gid) < 0) fail(1, "setgid %u: %s", gid, strerror(errno));
    if (setresuid(uid, uid, uid) < 0) fail(1, "setuid %u: %s", uid, strerror(errno));
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail(1, "keepcaps: %s", strerror(errno));
    if (c > 0) {
        struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2] = {
            {(uint32_t)eff, (uint32_t)perm, (uint32_t)inh},
            {(uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32)}};
        if (syscall(SYS_capset, &hdr, data) < 0) fail(1, "capset: %s", strerror(errno));
        for (int cap = 0; cap <= 63; cap++) {
            /* Only caps both permitted and inheritable can be ambient; others are skipped, as runc does. */
            if ((amb & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
                fail(1, "raising ambient capability %d: %s", cap, strerror(errno));
        }
    }
}

static void load_seccomp(void) {
    int s = find("seccomp");
    if (s < 0) return;
    const char *hex = items[s];
    size_t n = strlen(hex) / 16;
    struct sock_filter *prog = calloc(n, sizeof *prog);
    for (size_t i = 0; i < n; i++) {
        char word[17];
        memcpy(word, hex + i * 16, 16);
        word[16] = 0;
        uint64_t v = strtoull(word, NULL, 16);
        prog[i].code = (uint16_t)(v >> 48);
        prog[i].jt = (uint8_t)(v >> 40);
        prog[i].jf = (uint8_t)(v >> 32);
        prog[i].k = (uint32_t)v;
    }
    struct sock_fprog fprog = {(unsigned short)n, prog};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        fail(1, "loading the seccomp filter: %s", strerror(errno));
}

/* Sends the pty master over the console socket (runc's protocol: SCM_RIGHTS, one fd). */
static void send_fd(int sock, int fd, const char *name) {
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = {(void *)name, strlen(name)};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof cbuf;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) fail(1, "sending the pty to the console socket: %s", strerror(errno));
}

static void setup_terminal(int console) {
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) fail(1, "opening /dev/ptmx: %s", strerror(errno));
    if (unlockpt(master) < 0) fail(1, "unlockpt: %s", strerror(errno));
    char name[128];
    if (ptsname_r(master, name, sizeof name) != 0) fail(1, "ptsname: %s", strerror(errno));
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) fail(1, "opening %s: %s", name, strerror(errno));
    send_fd(console, master, name);
    close(master);
    close(console);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) fail(1, "TIOCSCTTY: %s", strerror(errno));
    for (int fd = 0; fd < 3; fd++) dup2(slave, fd);
    if (slave > 2) close(slave);
}

/* The container process: waits for Java's go, sets up, reports, (waits for start), execs. */
/* A new network namespace starts with loopback down; bring it up, as runc does. */
static void loopback_up(void) {
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) fail(1, "socket: %s", strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) fail(1, "reading loopback flags: %s", strerror(errno));
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) fail(1, "bringing loopback up: %s", strerror(errno));
    close(sock);
}

static unsigned long clone_flags;

static int container_main(int fifo_fd, int console, int run) {
    char go;
    if (read_full(PLAN_FD, &go, 1) < 0) _exit(1);
    read_hook_state();
    if (clone_flags & CLONE_NEWNET) loopback_up();
    /* In a new user namespace our ids map to nothing until we become its root (maps are written now). */
    if (find("userns") >= 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
        fail(1, "becoming root of the user namespace: %s (are uidMappings and gidMappings set?)", strerror(errno));
    if (find("terminal") >= 0 || console >= 0) setsid();
    int h = find("hostname");
    if (h > 0 && sethostname(items[h], strlen(items[h])) < 0) fail(1, "sethostname: %s", strerror(errno));
    int d = find("domainname");
    if (d > 0 && setdomainname(items[d], strlen(items[d])) < 0) fail(1, "setdomainname: %s", strerror(errno));
    setup_rootfs();
    finish_rootfs();
    for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
        if (!is(i, "rlimit")) continue;
        struct rlimit rl = {strtoull(items[i + 2], NULL, 0), strtoull(items[i + 3], NULL, 0)};
        if (setrlimit(num(items[i + 1]), &rl) < 0) fail(1, "setrlimit %s: %s", items[i + 1], strerror(errno));
    }
    int cwd = find("cwd");
    if (cwd > 0 && chdir(items[cwd]) < 0) fail(1, "chdir to cwd %s: %s", items[cwd], strerror(errno));
    int pathrec = find("path");
    char exe[4096];
    resolve(pathrec > 0 ? items[pathrec] : "", exe, sizeof exe);
    if (console >= 0) setup_terminal(console);
    report("ok");
    char hook_err[2048];
    if (run) {
        if (read_full(PLAN_FD, &go, 1) < 0) _exit(1); /* the runtime's start (after its create hooks) */
        if (run_hooks("startContainer", hook_err, sizeof hook_err) < 0) fail(1, "%s", hook_err);
        report("started");
    }
    reported = 1;
    close(REPORT_FD);
    close(PLAN_FD);
    if (fifo_fd >= 0) {
        /* Blocks until `start` opens the fifo for reading; the O_PATH fd reaches it after pivot.
           Then the startContainer hooks; `start` reads "0", or "e" and the failure. */
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fifo_fd);
        int w = open(path, O_WRONLY | O_CLOEXEC);
        if (w < 0) { perror("vessel: opening the exec fifo"); _exit(1); }
        close(fifo_fd);
        if (run_hooks("startContainer", hook_err + 1, sizeof hook_err - 1) < 0) {
            hook_err[0] = 'e';
            write_all(w, hook_err, strlen(hook_err));
            _exit(1);
        }
        if (write(w, "0", 1) != 1) _exit(1);
        close(w);
    }
    int um = find("umask");
    umask(um > 0 ? num(items[um]) : 022);
    int nnp = find("nnp") >= 0;
    if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(1, "no_new_privs: %s", strerror(errno));
    /* Without no_new_privs the filter needs CAP_SYS_ADMIN: load it before dropping caps. */
    if (!nnp) load_seccomp();
    set_identity_and_caps();
    if (nnp) load_seccomp();
    char *argv[MAX_ITEMS], *envp[MAX_ITEMS];
    int argc = 0, envc = 0;
    for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
        if (is(i, "arg")) argv[argc++] = items[i + 1];
        else if (is(i, "env")) envp[envc++] = items[i + 1];
    }
    argv[argc] = NULL;
    envp[envc] = NULL;
    syscall(SYS_close_range, 3, ~0U, 0);
    execve(exe, argv, envp);
    fprintf(stderr, "vessel: exec %s: %s\n", exe, strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

static pid_t child;

/* Runs this program from a sealed anonymous copy of itself: nothing in the container can then
   reach a writable file through /proc/<pid>/exe. Done once per start, before anything else. */
static void seal_self(char **argv) {
    char exe[64] = {0};
    if (readlink("/proc/self/exe", exe, sizeof exe - 1) > 0 && strncmp(exe, "/memfd:vessel-helper", 20) == 0)
        return;
    int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int mem = memfd_create("vessel-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st;
    if (in < 0 || mem < 0 || fstat(in, &st) < 0) {
        perror("vessel-helper: sealing a copy of itself");
        exit(2);
    }
    for (off_t done = 0; done < st.st_size; ) {
        ssize_t n = sendfile(mem, in, NULL, st.st_size - done);
        if (n <= 0) {
            perror("vessel-helper: copying itself");
            exit(2);
        }
        done += n;
    }
    close(in);
    if (fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
        perror("vessel-helper: sealing");
        exit(2);
    }
    extern char **environ;
    fexecve(mem, argv, environ);
    perror("vessel-helper: fexecve");
    exit(2);
}

static void forward(int sig) {
    if (child > 0) kill(child, sig);
}

/* ---- monitor mode: a detached container's stdio, log and exit status ---- */

static void now_rfc3339(char *out, size_t size) {
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, size - n, ".%09ldZ", ts.tv_nsec);
}

static void write_all(int fd, const char *data, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        data += w;
        n -= (size_t)w;
    }
}

/* One json-file line: {"log":"...","stream":"stdout","time":"..."} */
static void log_line(int log, const char *stream, const char *data, size_t n) {
    static char line[16384 * 6 + 128];
    size_t o = 0;
    o += (size_t)snprintf(line, sizeof line, "{\"log\":\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '"' || ch == '\\') { line[o++] = '\\'; line[o++] = (char)ch; }
        else if (ch == '\n') { line[o++] = '\\'; line[o++] = 'n'; }
        else if (ch == '\r') { line[o++] = '\\'; line[o++] = 'r'; }
        else if (ch == '\t') { line[o++] = '\\'; line[o++] = 't'; }
        else if (ch < 0x20) o += (size_t)snprintf(line + o, sizeof line - o, "\\u%04x", ch);
        else line[o++] = (char)ch;
    }
    char time[64];
    now_rfc3339(time, sizeof time);
    o += (size_t)snprintf(line + o, sizeof line - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, time);
    write_all(log, line, o);
}

/* The host's root, opened before joining a container's mount namespace (exec -d): the monitor's paths are the host's. */
static int host_root = -1;

static const char *host_relative(const char *path) {
    while (*path == '/') path++;
    return *path ? path : ".";
}

static int monitor_loop(int out, int err, const char *log_path, const char *exit_path, char **restart) {
    int log = openat(host_root, host_relative(log_path), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    struct pollfd fds[2] = {{.fd = out, .events = POLLIN}, {.fd = err, .events = POLLIN}};
    static const char *streams[2] = {"stdout", "stderr"};
    static char buf[2][16384];
    size_t len[2] = {0, 0};
    int open_streams = 2;
    while (open_streams > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(fds[i].fd, buf[i] + len[i], sizeof buf[i] - len[i]);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                if (len[i] > 0 && log >= 0) log_line(log, streams[i], buf[i], len[i]);
                len[i] = 0;
                close(fds[i].fd);
                fds[i].fd = -1;
                open_streams--;
                continue;
            }
            len[i] += (size_t)n;
            size_t start = 0;
            for (size_t j = 0; j < len[i]; j++) {
                if (buf[i][j] != '\n') continue;
                if (log >= 0) log_line(log, streams[i], buf[i] + start, j + 1 - start);
                start = j + 1;
            }
            if (start == 0 && len[i] == sizeof buf[i]) { /* a line longer than the buffer: split it */
                if (log >= 0) log_line(log, streams[i], buf[i], len[i]);
                start = len[i];
            }
            memmove(buf[i], buf[i] + start, len[i] - start);
            len[i] -= start;
        }
    }
    int status = 0, code;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    char finished[64], tmp[4096], record[256];
    now_rfc3339(finished, sizeof finished);
    snprintf(tmp, sizeof tmp, "%s.tmp", exit_path);
    int n = snprintf(record, sizeof record, "{\"ExitCode\":%d,\"FinishedAt\":\"%s\"}\n", code, finished);
    int fd = openat(host_root, host_relative(tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd >= 0) {
        write_all(fd, record, (size_t)n);
        fsync(fd);
        close(fd);
        renameat(host_root, host_relative(tmp), host_root, host_relative(exit_path));
    }
    if (log >= 0) close(log);
    if (restart[0] != NULL) {
        setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
        execv(restart[0], restart);
        _exit(127);
    }
    return 0;
}

/* Before the clone: the container's stdin is /dev/null, its stdout and stderr pipes this process reads. */
static void monitor_stdio(int *out_read, int *err_read) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) fail(1, "pipe: %s", strerror(errno));
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) fail(1, "/dev/null: %s", strerror(errno));
    /* dup2 clears close-on-exec on 0, 1 and 2: the container inherits them. */
    if (dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) fail(1, "dup2: %s", strerror(errno));
    close(null);
    close(out[1]);
    close(err[1]);
    *out_read = out[0];
    *err_read = err[0];
}

/* After the clone: the monitor keeps no write end, so the pipes end with the container. */
static void monitor_release_stdio(void) {
    int null = open("/dev/null", O_RDWR);
    if (null < 0) return;
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (null > 2) close(null);
}

/* The signals init leaves alone: the synchronous faults (they concern init itself) and job control. */
static int init_keeps(int sig) {
    return sig == SIGFPE || sig == SIGILL || sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT
        || sig == SIGTRAP || sig == SIGSYS || sig == SIGTTIN || sig == SIGTTOU;
}

/* `--` mode: a minimal init as PID 1 (see the top of this file). */
static int init_main(char **cmd) {
    if (cmd[0] == NULL) {
        fprintf(stderr, "vessel-init: no command given\n");
        return 2;
    }
    sigset_t all, kept;
    sigfillset(&all);
    sigemptyset(&kept);
    for (int sig = 1; sig < NSIG; sig++) if (init_keeps(sig)) sigdelset(&all, sig);
    sigset_t original;
    /* Blocked, not handled: every signal waits in the queue for sigwaitinfo, even as PID 1. */
    sigprocmask(SIG_SETMASK, &all, &original);
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "vessel-init: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        setpgid(0, 0);
        if (isatty(STDIN_FILENO)) {
            /* Become the terminal's foreground group, so the shell's job control works. */
            signal(SIGTTOU, SIG_IGN);
            tcsetpgrp(STDIN_FILENO, getpgrp());
            signal(SIGTTOU, SIG_DFL);
        }
        sigprocmask(SIG_SETMASK, &original, NULL);
        execvp(cmd[0], cmd);
        int err = errno;
        fprintf(stderr, "vessel-init: exec %s: %s\n", cmd[0], strerror(err));
        _exit(err == ENOENT ? 127 : 126);
    }
    int code = -1;
    while (code < 0) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        }
    }
    return code;
}

static int host_mount_main(int argc, char **argv) {
    int ok;
    if (strcmp(argv[1], "mount") == 0 && argc == 7) {
        ok = mount(argv[2], argv[3], argv[4][0] ? argv[4] : NULL, strtoul(argv[5], NULL, 10),
                   argv[6][0] ? argv[6] : NULL) == 0;
    } else if (strcmp(argv[1], "umount") == 0 && argc == 4) {
        ok = umount2(argv[2], atoi(argv[3])) == 0;
    } else {
        fprintf(stderr, "vessel-helper: usage: mount SOURCE TARGET TYPE FLAGS DATA | umount TARGET FLAGS\n");
        return 255;
    }
    if (ok) return 0;
    int err = errno;
    fprintf(stderr, "%s\n", strerror(err));
    return err;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "--") == 0) return init_main(argv + 2);
    if (argc >= 2 && (strcmp(argv[1], "mount") == 0 || strcmp(argv[1], "umount") == 0)) return host_mount_main(argc, argv);
    if (argc < 2) {
        fprintf(stderr, "vessel-helper is started by the vessel runtime, not by hand\n");
        return 2;
    }
    seal_self(argv);
    /* Nothing of the JVM's reaches the container: keep stdio only, then the runtime's socket. */
    syscall(SYS_close_range, 3, ~0U, 0);
    if (argc < 3) {
        fprintf(stderr, "vessel-helper: no socket given\n");
        return 2;
    }
    struct sockaddr_un ctl = {.sun_family = AF_UNIX};
    snprintf(ctl.sun_path, sizeof ctl.sun_path, "%s", argv[2]);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock != PLAN_FD || connect(sock, (struct sockaddr *)&ctl, sizeof ctl) < 0) {
        fprintf(stderr, "vessel-helper: connecting to %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    if (dup3(PLAN_FD, REPORT_FD, O_CLOEXEC) < 0) return 2;
    if (chdir("/") < 0) fail(1, "chdir /: %s", strerror(errno));
    int monitor = strcmp(argv[1], "monitor") == 0;
    if (monitor) {
        if (argc < 5) fail(2, "monitor mode needs LOG and EXIT paths");
        /* Detach: the JVM reaps this first process at once; the monitor lives on in its own session. */
        pid_t first = fork();
        if (first < 0) fail(1, "fork: %s", strerror(errno));
        if (first > 0) _exit(0);
        setsid();
    }
    int run = strcmp(argv[1], "run") == 0 || monitor;
    read_plan();
    /* The root file system a container engine hands over unmounted (containerd's rootfs mounts):
     * mounted here, on the host, before the container's mount namespace copies it. */
    int hm = find("hostmount"), hr = find("rootfs");
    if (hm > 0 && hr < 0) fail(1, "plan: hostmount without rootfs");
    const char *host_rootfs = hm > 0 ? items[hr] : NULL;
    if (hm > 0 && mount(items[hm], host_rootfs, items[hm + 1], num(items[hm + 2]), *items[hm + 3] ? items[hm + 3] : NULL) < 0)
        fail(1, "mounting the root file system at %s: %s", host_rootfs, strerror(errno));

    /* Host paths (the console socket, the monitor's files) are reached before joining a mount namespace (exec). */
    int fifo_fd = -1, console = -1;
    int cs = find("console");
    if (cs > 0) {
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        snprintf(addr.sun_path, sizeof addr.sun_path, "%s", items[cs]);
        console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (console < 0 || connect(console, (struct sockaddr *)&addr, sizeof addr) < 0)
            fail(1, "connecting to the console socket %s: %s", items[cs], strerror(errno));
    }
    if (monitor && (host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) fail(1, "opening /: %s", strerror(errno));
    /* Join existing namespaces first (user first, so the others are joined with its rights). */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n_items; i += 1 + fields(items[i])) {
            if (!is(i, "setns")) continue;
            int type = num(items[i + 1]);
            if ((type == CLONE_NEWUSER) != (pass == 0)) continue;
            int fd = open(items[i + 2], O_RDONLY | O_CLOEXEC);
            if (fd < 0 || setns(fd, type) < 0) fail(1, "joining namespace %s: %s", items[i + 2], strerror(errno));
            close(fd);
        }
    }
    int f = find("fifo");
    if (f > 0) {
        /* 0622: writable by the container's root even when a user namespace maps it elsewhere */
        if (mkfifo(items[f], 0622) < 0 || chmod(items[f], 0622) < 0)
            fail(1, "making the exec fifo %s: %s", items[f], strerror(errno));
        if ((fifo_fd = open(items[f], O_PATH | O_CLOEXEC)) < 0)
            fail(1, "opening the exec fifo %s: %s", items[f], strerror(errno));
    }
    if (fifo_fd >= 0) fcntl(fifo_fd, F_SETFD, 0);
    int c = find("clone");
    unsigned long flags = c > 0 ? num(items[c]) : 0;
    clone_flags = flags;
    if (run) {
        signal(SIGINT, forward);
        signal(SIGTERM, forward);
        signal(SIGHUP, forward);
        signal(SIGQUIT, forward);
        signal(SIGUSR1, forward);
        signal(SIGUSR2, forward);
    }
    int out_read = -1, err_read = -1;
    if (monitor && console < 0) monitor_stdio(&out_read, &err_read);
    child = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (child < 0) fail(1, "clone: %s", strerror(errno));
    if (child == 0) return container_main(fifo_fd, console, run);
    report("pid %d", child);
    if (!run) return 0;
    close(REPORT_FD);
    close(PLAN_FD);
    if (console >= 0) close(console);
    if (monitor) {
        monitor_release_stdio();
        return monitor_loop(out_read, err_read, argv[3], argv[4], argv + 5);
    }
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return 1;
    }
    /* run mode: the root file system mounted above goes with the container (lazily: nothing holds it now) */
    if (host_rootfs && find("hostumount") > 0) umount2(host_rootfs, MNT_DETACH);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

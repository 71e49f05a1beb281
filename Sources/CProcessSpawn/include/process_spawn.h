// Two glibc calls that Swift's Glibc module hides behind _GNU_SOURCE, wrapped for the deployer's
// command runner: a pipe created close-on-exec atomically (so no concurrently spawned process inherits
// it), and a working directory set in the child between fork and exec.
#ifndef INTENTOPS_PROCESS_SPAWN_H
#define INTENTOPS_PROCESS_SPAWN_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC); 0 or -1 with errno set.
int intentops_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+); 0 or an error number.
int intentops_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif

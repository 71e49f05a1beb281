// Three glibc calls that Swift's Glibc module hides behind _GNU_SOURCE, wrapped for the deployer's
// command runner: a pipe created close-on-exec atomically (so no concurrently spawned process inherits
// it), a working directory set in the child between fork and exec, and closing every inherited
// descriptor above stderr.
#ifndef INTENTOPS_PROCESS_SPAWN_H
#define INTENTOPS_PROCESS_SPAWN_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC); 0 or -1 with errno set.
int intentops_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+); 0 or an error number.
int intentops_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor >= from,
/// so it inherits only stdin, stdout and stderr whatever the parent left open; 0 or an error number.
int intentops_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif

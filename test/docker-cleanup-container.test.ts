/**
 * Cleanup under the docker driver's one-container design
 * (NETPROG_DOCKER_LABS=container): a normal run, Ctrl-C and kill -9 leave
 * nothing, as for the default design.
 */
process.env.NETPROG_DOCKER_LABS = 'container';
await import('./docker-cleanup.test.ts');

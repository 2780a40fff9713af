/**
 * Cleanup under the docker driver's older design, a few containers per lab
 * (NETPROG_DOCKER_LABS=classic): a normal run, Ctrl-C and kill -9 leave
 * nothing, as for the default one-container design.
 */
process.env.NETPROG_DOCKER_LABS = 'classic';
await import('./docker-cleanup.test.ts');

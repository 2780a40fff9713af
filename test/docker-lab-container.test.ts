/**
 * The docker driver's lab test against its one-container design
 * (NETPROG_DOCKER_LABS=container, harness/docker/labs-container.ts): every lab
 * of the process as namespaces inside one lab container, driven over its stdio.
 */
process.env.NETPROG_DOCKER_LABS = 'container';
await import('./docker-lab.test.ts');

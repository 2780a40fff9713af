/**
 * The docker driver's lab test against its older design, a few containers per
 * lab (NETPROG_DOCKER_LABS=classic, harness/docker/driver.ts): learner, router
 * and peers each a container on Docker networks.
 */
process.env.NETPROG_DOCKER_LABS = 'classic';
await import('./docker-lab.test.ts');

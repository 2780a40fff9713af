// retry-backoff's judging logic at the other end of the drawn ranges (the largest value of every draw).
process.env.RETRY_PLAN = 'high';
await import('./retry-backoff.test.ts');

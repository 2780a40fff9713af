/** safe-retry's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'Retry only what is safe to repeat',
  part: 'Part 10 — Only retry idempotent operations',

  // Scenarios
  scRetryable: 'GET, HEAD, PUT and DELETE against 5xx answers, resets and a 4xx',
  scUnsafe: 'POST /charge and PATCH without a key, POST with an Idempotency-Key',
  scHung: 'attempts that get no answer within attemptTimeoutMs',
  scRefused: 'connections refused by the router with a TCP reset',

  // Check titles
  tRetries5xx: 'a GET answered 5xx is retried until it succeeds, then no more',
  tExactlyMax: 'when every attempt fails, exactly maxAttempts attempts in all',
  tFinal5xx: 'when attempts run out on a 5xx, the promise resolves with that last response',
  tFinalError: 'when attempts run out on a connection error, the promise rejects with that error',
  tPostOnce: 'a POST /charge without a key, reset after the server processed it, is sent once: one charge',
  tUnkeyed: 'a POST or PATCH without a key is sent once, even on a 5xx',
  tKeyedRetried: 'a POST with an idempotencyKey is retried after a reset and a 5xx',
  tSameKey: 'every attempt of a keyed request carries the same Idempotency-Key and the same body',
  tIdempotent: 'PUT, DELETE and HEAD are idempotent: retried after a 5xx or a reset',
  tClientError: 'a 4xx is never retried: it resolves at once',
  tBacksOff: 'attempts are spaced by the backoff delay, not fired back to back',
  tGrow: 'the backoff delay doubles from baseDelayMs with every retry',
  tCapped: 'the backoff delay stops growing at maxDelayMs',
  tHungRetried: 'an attempt with no response within attemptTimeoutMs is abandoned and retried',
  tHungClosed: "a timed-out attempt's connection is closed before the next attempt",
  tFinalTimeout: 'when every attempt times out, the promise rejects after maxAttempts attempts',
  tRefused: 'refused connections are retried: counted on the wire',

  // Why a run told us nothing
  runnerDidNotFinish: 'the runner did not finish',
  problem: (why: string) => `${why}.`,

  // Small phrases

  // What one call did
  noCall: 'the call was never recorded',
  threw: (error: string) => `requestWithRetry threw instead of returning a promise (${error})`,
  pending: 'the promise had not settled when we stopped waiting',
  resolved: (p: { elapsed: string; status: string }) => `the promise resolved ${p.elapsed} after the call with status ${p.status}`,
  resolvedNoBody: (p: { elapsed: string; status: string }) => `the promise resolved ${p.elapsed} after the call with status ${p.status} and no string body`,
  rejected: (p: { elapsed: string; error: string }) => `the promise rejected ${p.elapsed} after the call with ${p.error}`,

  // A request, as the learner was asked to send it
  req: (p: { method: string; path: string }) => `${p.method} ${p.path}`,
  reqKeyed: (p: { method: string; path: string }) => `${p.method} ${p.path} (with an idempotencyKey)`,

  // What the peer did to the requests
  peerNoRequest: 'the peer received no request',
  saidReset: 'read, processed, then reset',
  saidHung: 'read, never answered',
  peerAnswered: (p: { count: number; said: string }) => `the peer received ${p.count} request(s) and answered: ${p.said}`,

  // Resolved with the peer's response
  rwNotResponse: (p: { what: string; story: string; outcome: string }) => `${p.what}: ${p.story}, and ${p.outcome}.`,
  rwNotResolved: (p: { what: string; story: string; outcome: string }) =>
    `${p.what}: ${p.story}; ${p.outcome}. A complete response is an answer: resolve with its status and body.`,
  rwWrongStatus: (p: { what: string; expected: number; got: string }) =>
    `${p.what}: the peer's last answer was ${p.expected}, the promise resolved with status ${p.got}.`,
  rwWrongBody: (p: { what: string; status: number; length: number; got: string }) =>
    `${p.what}: the peer's last answer (${p.status}) had a ${p.length}-character body, the promise resolved with ` +
    `${p.got}: resolve with the body of the response you got, read to its end.`,
  charsThatDiffer: (n: number) => `${n} characters that differ`,
  noStringBody: 'no string body',
  rwOk: (p: { what: string; status: number }) => `${p.what}: resolved ${p.status} with its body`,

  // Shared
  reqStoryOutcome: (p: { req: string; story: string; outcome: string }) => `${p.req}: ${p.story}; ${p.outcome}.`,

  // retries-5xx-until-success
  recoversHead: (p: { answers: string; max: number; story: string }) => `GET answered ${p.answers}, then 200 (maxAttempts ${p.max}); ${p.story}`,
  recoversTooFew: (head: string) =>
    `${head}. 500, 502, 503 and 504 are transient and a GET is idempotent: retry it, with backoff, until it succeeds or maxAttempts run out.`,
  recoversTooMany: (head: string) => `${head}. Once an attempt succeeds, stop: return its response.`,
  recoversWhat: (k: number) => `after ${k} failure(s), attempt ${k + 1} got 200`,

  // exactly-max-attempts
  whyReset: 'reset every connection after reading the request',
  whyAnswered: (status: string) => `answered ${status} every time`,
  maxTooFew: (p: { why: string; max: number; count: number; req: string; outcome: string }) =>
    `the peer ${p.why}, maxAttempts was ${p.max}, and it received ${p.count} ${p.req} request(s) (${p.outcome}). ` +
    'Keep retrying retryable failures until maxAttempts attempts have been made.',
  maxTooMany: (p: { why: string; max: number; count: number; req: string; outcome: string }) =>
    `the peer ${p.why}, maxAttempts was ${p.max}, and it received ${p.count} ${p.req} request(s) (${p.outcome}). ` +
    'maxAttempts counts every attempt, the first one included: stop after attempt maxAttempts.',
  maxOk: (counts: number[]) => `each failing GET made exactly maxAttempts attempts (${counts.join(', ')})`,

  // final-5xx-resolves
  lastAnswered: (p: { req: string; status: string }) => `${p.req}, last attempt answered ${p.status}`,
  still5xx: (verdict: string) =>
    `${verdict} A 5xx is still an HTTP response: when no attempt is left, resolve with it (status and body) and let the caller decide.`,
  final5xxOk: (n: number) => `every request whose attempts ran out on a 5xx resolved with the last response (${n} requests)`,

  // final-error-rejects
  resetNotRejected: (p: { req: string; outcome: string }) =>
    `the peer reset every connection of ${p.req}; ${p.outcome}. When the attempts run out on a connection error, reject with that error ` +
    `(ECONNRESET, "socket hang up") so the caller sees what went wrong.`,
  refusedNotRejected: (p: { port: string; outcome: string }) =>
    `the router refused every connection to port ${p.port}; ${p.outcome}. Reject with the last error, ECONNREFUSED here.`,
  finalErrorOk: (p: { first: string; second: string }) => `rejected with ${p.first} and with ${p.second}`,

  // post-charged-once
  sendToUrl: (p: { req: string; story: string; outcome: string }) => `${p.req}: ${p.story}; ${p.outcome}. Send the request to the URL you were given.`,
  chargedAgain: (p: { req: string; count: number }) =>
    `the server read ${p.req}, charged the card, then the connection was reset; you sent it again, ${p.count} times in all: ` +
    `the customer was charged ${p.count} times. A POST without an idempotencyKey is not idempotent: send it once, whatever happens.`,
  postNotRejected: (outcome: string) => `the POST was sent once and its connection reset; ${outcome}. With no response, reject with the connection error.`,
  chargedOnceOk: (error: string) => `sent once, charged once; the promise rejected with ${error}`,

  // unkeyed-not-retried-on-5xx
  unkeyedNotSent: (p: { req: string; status: string; story: string }) => `${p.req} got ${p.status}; ${p.story}. Send the request to the URL you were given.`,
  unkeyedRetried: (p: { req: string; status: string; story: string }) =>
    `${p.req} got ${p.status}; ${p.story}. A 5xx does not prove the server did nothing: a POST or PATCH without an idempotencyKey must be sent exactly once.`,
  unkeyedOk: 'POST and PATCH without a key were each sent once',

  // keyed-post-retried
  keyedHead: (p: { req: string; story: string }) => `${p.req}: the peer reset the first attempt and answered the second with a 5xx; ${p.story}`,
  keyedTooFew: (p: { head: string; outcome: string }) =>
    `${p.head}; ${p.outcome}. With an idempotency key the server can tell a repeat from a new request: a keyed POST is safe to retry.`,
  keyedTooMany: (head: string) => `${head}. The third attempt succeeded: stop there.`,
  thirdGot201: 'the third attempt got 201',

  // same-key-same-body
  noRetryForKey: (p: { req: string; story: string; outcome: string }) => `${p.req}: ${p.story}, so no retry could carry the key (${p.outcome}).`,
  noKeyHeader: 'no Idempotency-Key header',
  keyHeader: (key: string) => `Idempotency-Key "${key}"`,
  wrongKey: (p: { attempt: number; got: string; key: string }) =>
    `attempt ${p.attempt} of the keyed POST carried ${p.got}; the key you were given was "${p.key}". The server recognises a repeat only by ` +
    'that key: send the header "Idempotency-Key: <req.idempotencyKey>" on every attempt, the same value each time.',
  wrongBody: (p: { attempt: number; sent: number; expected: number }) =>
    `attempt ${p.attempt} of the keyed POST sent a ${p.sent}-character body, not the request's ${p.expected} characters: send the same body on every attempt.`,
  sameKeyOk: (p: { count: number; key: string }) => `${p.count} attempts, each with Idempotency-Key "${p.key}" and the same body`,

  // idempotent-methods-retried
  firstReset: 'reset the connection',
  first5xx: 'answered with a 5xx',
  idemTooFew: (p: { first: string; method: string; story: string }) =>
    `the peer ${p.first} on the first ${p.method} and would answer 200 on the second; ${p.story}. ${p.method} is idempotent: retry it.`,
  idemTooMany: (p: { first: string; method: string; story: string }) =>
    `the peer ${p.first} on the first ${p.method} and would answer 200 on the second; ${p.story}. Stop once an attempt succeeds.`,
  putNoBody: "an attempt of the PUT did not carry the request's body: send the same body on every attempt.",
  retriedOnce: (method: string) => `${method} retried once`,

  // client-error-not-retried
  clientNotSent: (p: { req: string; status: number; story: string }) => `${p.req} was answered ${p.status}; ${p.story}. Send the request.`,
  clientRetried: (p: { req: string; status: number; story: string }) =>
    `${p.req} was answered ${p.status}; ${p.story}. A 4xx says the request itself is wrong: repeating it gets the same answer. Resolve with it at once.`,
  reqAnswered: (p: { req: string; status: number }) => `${p.req} answered ${p.status}`,
  clientOk: (statuses: string[]) => `each 4xx (${statuses.join(', ')}) was sent once and resolved`,

  // backs-off
  tooFewRetries: (n: number) => `only ${n} retries reached the peer, too few to see the waits between them: retry 5xx answers and resets of a GET.`,
  noBackoff: (p: { gap: string; retries: number; base: number; double: number }) =>
    `between attempts the peer saw gaps of ${p.gap} on average (${p.retries} retries); with baseDelayMs ${p.base} the delays ` +
    `should be about ${p.base}, ${p.double}, … ms before jitter. Retrying at once hammers a server that is already failing: ` +
    'sleep min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), with jitter, before each retry — and await the sleep.',
  backsOffOk: (p: { gap: string; retries: number; percent: number }) =>
    `gaps between attempts averaged ${p.gap} over ${p.retries} retries (${p.percent}% of the nominal delays)`,

  // delays-grow
  tooFewGrow: (waits: number) => `too few GETs were retried four times to see the delays grow (${waits} waits): retry every 5xx until maxAttempts.`,
  noGrowth: (p: { base: number; max: number; shape: string; fourth: number; fifth: number }) =>
    `with baseDelayMs ${p.base} and maxDelayMs ${p.max}, the waits before the 4th and 5th attempts stayed near the first one (median gaps by retry: ${p.shape}); ` +
    `doubling reaches ${p.fourth} and ${p.fifth} ms there before jitter. Grow the delay exponentially: baseDelayMs × 2^(attempt − 1), capped at maxDelayMs.`,
  growOk: (p: { base: number; max: number; shape: string }) => `baseDelayMs ${p.base}, maxDelayMs ${p.max}: median gaps by retry ${p.shape}`,

  // delay-capped
  tooFewCap: 'too few GETs were retried four times to see whether the delay stops at maxDelayMs: retry every 5xx until maxAttempts.',
  pastCap: (p: { base: number; max: number; retry: number; gap: string; shape: string }) =>
    `with baseDelayMs ${p.base} and maxDelayMs ${p.max}, the median gap before retry ${p.retry} was ${p.gap} (gaps by retry: ${p.shape}): ` +
    'the delay kept doubling past the cap. Clamp it: min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), then jitter.',
  capOk: (p: { max: number; shape: string }) => `maxDelayMs ${p.max}: median gaps by retry ${p.shape}`,

  // hung-attempt-retried
  hungNotRetried: (p: { story: string; outcome: string; timeout: string }) =>
    `the peer read the first GET and never answered; ${p.story} and ${p.outcome}. Bound each attempt: when no complete response ` +
    `has come within attemptTimeoutMs (${p.timeout}), destroy the attempt and retry.`,
  secondTooEarly: (p: { since: string; timeout: string }) =>
    `the second attempt came ${p.since} after the call, before attemptTimeoutMs (${p.timeout}) had passed: give each attempt the whole attemptTimeoutMs.`,
  secondTooLate: (p: { gap: string; timeout: string; backoff: string }) =>
    `the second attempt came ${p.gap} after the first; attemptTimeoutMs was ${p.timeout} and the backoff at most ${p.backoff}: ` +
    'start the attempt timer when the attempt starts, and retry as soon as it fires (after the backoff).',
  hungTooMany: (story: string) => `the second attempt was answered 200, yet ${story}: stop once an attempt succeeds.`,
  hungWhat: (p: { since: string; gap: string; timeout: string }) =>
    `the second attempt came ${p.since} after the call, ${p.gap} after the first reached the peer (attemptTimeoutMs ${p.timeout}), and got 200`,

  // hung-connection-closed
  connNeverClosed: 'was never closed',
  connStayedOpen: 'stayed open',
  noTimeout: (p: { req: string; outcome: string; conn: string }) =>
    `the peer never answered ${p.req}; ${p.outcome}, and the attempt's connection ${p.conn}: time out each attempt and destroy its request.`,
  whenNever: 'never, while we watched',
  whenAfterNext: (after: string) => `only ${after} after the next attempt arrived`,
  whenAfterReject: (after: string) => `only ${after} after the promise rejected`,
  closedLate: (p: { attempt: number; req: string; when: string }) =>
    `attempt ${p.attempt} of ${p.req} got no answer; the peer saw its connection closed ${p.when}. Abandoning an attempt is not enough: ` +
    'destroy its request (req.destroy(), or abort the fetch) so the socket is closed before you retry — a hung socket left open leaks, and the server keeps working for nobody.',
  seenBeforeNext: (before: string) => `${before} before the next attempt`,
  seenAfterReject: (after: string) => `${after} after the rejection`,
  closedOk: (seen: string[]) => `every timed-out attempt's connection was closed (${seen.join(', ')})`,

  // final-timeout-rejects
  timeoutNotRejected: (p: { req: string; max: number; timeout: string; story: string; outcome: string }) =>
    `no attempt of ${p.req} was ever answered (maxAttempts ${p.max}, attemptTimeoutMs ${p.timeout}); ${p.story} and ${p.outcome}. Reject with the timeout error once the last attempt times out.`,
  timeoutWrongCount: (p: { max: number; count: number }) =>
    `no attempt was ever answered, maxAttempts was ${p.max}, and the peer received ${p.count} request(s): make exactly maxAttempts attempts, each bounded by attemptTimeoutMs.`,
  timeoutWrongTime: (p: { elapsed: string; max: number; timeout: string; about: string }) =>
    `rejected ${p.elapsed} after the call; ${p.max} attempts of attemptTimeoutMs ${p.timeout} each, plus the backoff, come to about ${p.about}.`,
  timeoutOk: (p: { elapsed: string; max: number; error: string }) => `rejected ${p.elapsed} after the call, after ${p.max} timed-out attempts, with ${p.error}`,

  // refused-retried
  refusedNotRetried: (p: { refusals: number; syns: number; outcome: string }) =>
    `the router refused the first ${p.refusals} connections with a TCP reset, then let them through; ${p.syns} SYN(s) crossed it and ${p.outcome}. ` +
    'ECONNREFUSED means nothing was sent: retry it, with backoff.',
  refusedTooMany: (p: { refusals: number; syns: number }) =>
    `the router refused ${p.refusals} connections, then let one through, but saw ${p.syns} SYNs: one connection per attempt, and no attempt after the success.`,
  throughOn: (attempt: number) => `through on attempt ${attempt}`,
  alwaysTooFew: (p: { max: number; syns: number; outcome: string }) =>
    `the router refused every connection to the other port, maxAttempts was ${p.max}, and ${p.syns} SYN(s) crossed it (${p.outcome}): ` +
    'retry refused connections until maxAttempts attempts were made.',
  alwaysTooMany: (p: { max: number; syns: number; outcome: string }) =>
    `the router refused every connection to the other port, maxAttempts was ${p.max}, and ${p.syns} SYN(s) crossed it (${p.outcome}): ` +
    'stop after maxAttempts attempts in all.',
  refusedOk: (p: { refusals: number; max: number }) =>
    `through after ${p.refusals} refusals; ${p.max} SYNs when every connection was refused (maxAttempts ${p.max})`,
};

const vi: typeof en = {
  title: 'Chỉ retry những gì lặp lại được an toàn',
  part: 'Phần 10 — Chỉ retry các thao tác idempotent',

  scRetryable: 'GET, HEAD, PUT và DELETE gặp các câu trả lời 5xx, reset và một 4xx',
  scUnsafe: 'POST /charge và PATCH không có key, POST có Idempotency-Key',
  scHung: 'các lần thử không nhận được câu trả lời nào trong attemptTimeoutMs',
  scRefused: 'kết nối bị router từ chối bằng TCP reset',

  tRetries5xx: 'một GET bị trả lời 5xx được retry cho tới khi thành công, rồi thôi',
  tExactlyMax: 'khi mọi lần thử đều thất bại, tổng cộng đúng maxAttempts lần thử',
  tFinal5xx: 'khi hết lượt thử mà vẫn nhận 5xx, promise resolve với chính response cuối cùng đó',
  tFinalError: 'khi hết lượt thử mà vẫn gặp lỗi kết nối, promise reject với đúng error đó',
  tPostOnce: 'một POST /charge không có key, bị reset sau khi server đã xử lý, chỉ được gửi một lần: trừ tiền một lần',
  tUnkeyed: 'một POST hay PATCH không có key chỉ được gửi một lần, kể cả khi gặp 5xx',
  tKeyedRetried: 'một POST có idempotencyKey được retry sau một reset và một 5xx',
  tSameKey: 'mọi lần thử của một request có key đều mang cùng Idempotency-Key và cùng body',
  tIdempotent: 'PUT, DELETE và HEAD là idempotent: được retry sau một 5xx hoặc một reset',
  tClientError: 'một 4xx không bao giờ được retry: promise resolve ngay',
  tBacksOff: 'các lần thử được giãn cách bằng delay backoff, không dồn dập liền nhau',
  tGrow: 'delay backoff gấp đôi từ baseDelayMs sau mỗi lần retry',
  tCapped: 'delay backoff thôi tăng khi chạm maxDelayMs',
  tHungRetried: 'một lần thử không có response trong attemptTimeoutMs bị bỏ đi và được retry',
  tHungClosed: 'kết nối của một lần thử bị timeout được đóng trước lần thử kế tiếp',
  tFinalTimeout: 'khi mọi lần thử đều timeout, promise reject sau maxAttempts lần thử',
  tRefused: 'kết nối bị từ chối được retry: đếm trên đường truyền',

  runnerDidNotFinish: 'runner không chạy hết',
  problem: (why) => `${why}.`,


  noCall: 'lời gọi chưa hề được ghi nhận',
  threw: (error) => `requestWithRetry throw ngay thay vì trả về một promise (${error})`,
  pending: 'promise vẫn chưa settle khi chúng tôi ngừng chờ',
  resolved: (p) => `promise resolve ${p.elapsed} sau lời gọi với status ${p.status}`,
  resolvedNoBody: (p) => `promise resolve ${p.elapsed} sau lời gọi với status ${p.status} và không có body kiểu string`,
  rejected: (p) => `promise reject ${p.elapsed} sau lời gọi với ${p.error}`,

  req: (p) => `${p.method} ${p.path}`,
  reqKeyed: (p) => `${p.method} ${p.path} (có idempotencyKey)`,

  peerNoRequest: 'peer không nhận được request nào',
  saidReset: 'đọc, xử lý, rồi reset',
  saidHung: 'đọc, rồi không trả lời',
  peerAnswered: (p) => `peer nhận ${p.count} request và đã trả lời: ${p.said}`,

  rwNotResponse: (p) => `${p.what}: ${p.story}, và ${p.outcome}.`,
  rwNotResolved: (p) => `${p.what}: ${p.story}; ${p.outcome}. Một response đầy đủ là một câu trả lời: hãy resolve với status và body của nó.`,
  rwWrongStatus: (p) => `${p.what}: câu trả lời cuối của peer là ${p.expected}, còn promise resolve với status ${p.got}.`,
  rwWrongBody: (p) =>
    `${p.what}: câu trả lời cuối của peer (${p.status}) có body ${p.length} ký tự, còn promise resolve với ` +
    `${p.got}: hãy resolve với body của response bạn nhận được, đọc tới hết.`,
  charsThatDiffer: (n) => `${n} ký tự khác với body đó`,
  noStringBody: 'một body không phải string',
  rwOk: (p) => `${p.what}: resolve ${p.status} cùng body của nó`,

  reqStoryOutcome: (p) => `${p.req}: ${p.story}; ${p.outcome}.`,

  recoversHead: (p) => `GET bị trả lời ${p.answers}, rồi 200 (maxAttempts ${p.max}); ${p.story}`,
  recoversTooFew: (head) =>
    `${head}. 500, 502, 503 và 504 là lỗi tạm thời và GET là idempotent: hãy retry nó, có backoff, cho tới khi thành công hoặc hết maxAttempts.`,
  recoversTooMany: (head) => `${head}. Một lần thử đã thành công thì dừng lại: trả về response của nó.`,
  recoversWhat: (k) => `sau ${k} lần thất bại, lần thử ${k + 1} nhận được 200`,

  whyReset: 'reset mọi kết nối sau khi đọc request',
  whyAnswered: (status) => `lần nào cũng trả lời ${status}`,
  maxTooFew: (p) =>
    `peer ${p.why}, maxAttempts là ${p.max}, và nó nhận được ${p.count} request ${p.req} (${p.outcome}). ` +
    'Hãy tiếp tục retry các lỗi retry được cho tới khi đã thử đủ maxAttempts lần.',
  maxTooMany: (p) =>
    `peer ${p.why}, maxAttempts là ${p.max}, và nó nhận được ${p.count} request ${p.req} (${p.outcome}). ` +
    'maxAttempts đếm mọi lần thử, kể cả lần đầu: hãy dừng sau lần thử thứ maxAttempts.',
  maxOk: (counts) => `mỗi GET thất bại đều thử đúng maxAttempts lần (${counts.join(', ')})`,

  lastAnswered: (p) => `${p.req}, lần thử cuối được trả lời ${p.status}`,
  still5xx: (verdict) =>
    `${verdict} Một 5xx vẫn là một HTTP response: khi không còn lượt thử nào, hãy resolve với nó (status và body) và để nơi gọi quyết định.`,
  final5xxOk: (n) => `mọi request hết lượt thử mà vẫn nhận 5xx đều resolve với response cuối cùng (${n} request)`,

  resetNotRejected: (p) =>
    `peer reset mọi kết nối của ${p.req}; ${p.outcome}. Khi hết lượt thử mà vẫn gặp lỗi kết nối, hãy reject với đúng error đó ` +
    `(ECONNRESET, "socket hang up") để nơi gọi thấy chuyện gì đã xảy ra.`,
  refusedNotRejected: (p) => `router từ chối mọi kết nối tới port ${p.port}; ${p.outcome}. Hãy reject với error cuối cùng, ở đây là ECONNREFUSED.`,
  finalErrorOk: (p) => `reject với ${p.first} và với ${p.second}`,

  sendToUrl: (p) => `${p.req}: ${p.story}; ${p.outcome}. Hãy gửi request tới đúng URL được truyền vào.`,
  chargedAgain: (p) =>
    `server đã đọc ${p.req}, trừ tiền thẻ, rồi kết nối bị reset; bạn lại gửi nó lần nữa, tổng cộng ${p.count} lần: ` +
    `khách hàng bị trừ tiền ${p.count} lần. POST không có idempotencyKey thì không idempotent: chỉ gửi nó một lần, dù chuyện gì xảy ra.`,
  postNotRejected: (outcome) => `POST được gửi một lần và kết nối của nó bị reset; ${outcome}. Không có response thì hãy reject với lỗi kết nối.`,
  chargedOnceOk: (error) => `gửi một lần, trừ tiền một lần; promise reject với ${error}`,

  unkeyedNotSent: (p) => `${p.req} nhận ${p.status}; ${p.story}. Hãy gửi request tới đúng URL được truyền vào.`,
  unkeyedRetried: (p) =>
    `${p.req} nhận ${p.status}; ${p.story}. Một 5xx không chứng minh được server chưa làm gì: POST hay PATCH không có idempotencyKey phải được gửi đúng một lần.`,
  unkeyedOk: 'POST và PATCH không có key mỗi cái chỉ được gửi một lần',

  keyedHead: (p) => `${p.req}: peer reset lần thử đầu và trả lời lần thứ hai bằng một 5xx; ${p.story}`,
  keyedTooFew: (p) =>
    `${p.head}; ${p.outcome}. Có idempotency key thì server phân biệt được một lần lặp lại với một request mới: POST có key retry được an toàn.`,
  keyedTooMany: (head) => `${head}. Lần thử thứ ba đã thành công: hãy dừng ở đó.`,
  thirdGot201: 'lần thử thứ ba nhận được 201',

  noRetryForKey: (p) => `${p.req}: ${p.story}, nên không có lần retry nào để mang key (${p.outcome}).`,
  noKeyHeader: 'không có header Idempotency-Key',
  keyHeader: (key) => `Idempotency-Key "${key}"`,
  wrongKey: (p) =>
    `lần thử ${p.attempt} của POST có key mang ${p.got}; key được truyền vào là "${p.key}". Server chỉ nhận ra một lần lặp lại nhờ ` +
    'key đó: hãy gửi header "Idempotency-Key: <req.idempotencyKey>" ở mọi lần thử, lần nào cũng cùng một giá trị.',
  wrongBody: (p) =>
    `lần thử ${p.attempt} của POST có key gửi một body ${p.sent} ký tự, không phải ${p.expected} ký tự của request: hãy gửi cùng một body ở mọi lần thử.`,
  sameKeyOk: (p) => `${p.count} lần thử, lần nào cũng có Idempotency-Key "${p.key}" và cùng body`,

  firstReset: 'reset kết nối',
  first5xx: 'trả lời bằng một 5xx',
  idemTooFew: (p) =>
    `peer ${p.first} ở ${p.method} đầu tiên và sẽ trả lời 200 ở lần thứ hai; ${p.story}. ${p.method} là idempotent: hãy retry nó.`,
  idemTooMany: (p) =>
    `peer ${p.first} ở ${p.method} đầu tiên và sẽ trả lời 200 ở lần thứ hai; ${p.story}. Hãy dừng khi một lần thử đã thành công.`,
  putNoBody: 'một lần thử của PUT không mang body của request: hãy gửi cùng một body ở mọi lần thử.',
  retriedOnce: (method) => `${method} được retry một lần`,

  clientNotSent: (p) => `${p.req} bị trả lời ${p.status}; ${p.story}. Hãy gửi request.`,
  clientRetried: (p) =>
    `${p.req} bị trả lời ${p.status}; ${p.story}. Một 4xx nói rằng chính request bị sai: lặp lại nó cũng chỉ nhận cùng câu trả lời. Hãy resolve với nó ngay.`,
  reqAnswered: (p) => `${p.req} được trả lời ${p.status}`,
  clientOk: (statuses) => `mỗi 4xx (${statuses.join(', ')}) được gửi một lần và đã resolve`,

  tooFewRetries: (n) => `chỉ ${n} lần retry tới được peer, quá ít để thấy thời gian chờ giữa chúng: hãy retry các câu trả lời 5xx và các reset của một GET.`,
  noBackoff: (p) =>
    `giữa các lần thử, peer thấy khoảng cách trung bình ${p.gap} (${p.retries} lần retry); với baseDelayMs ${p.base} thì các delay ` +
    `phải vào khoảng ${p.base}, ${p.double}, … ms trước jitter. Retry ngay lập tức là dội request vào một server đang gặp lỗi: ` +
    'hãy sleep min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), có jitter, trước mỗi lần retry — và await lần sleep đó.',
  backsOffOk: (p) => `khoảng cách giữa các lần thử trung bình ${p.gap} trên ${p.retries} lần retry (bằng ${p.percent}% delay danh nghĩa)`,

  tooFewGrow: (waits) => `quá ít GET được retry đủ bốn lần để thấy delay tăng dần (${waits} lần chờ): hãy retry mọi 5xx cho tới maxAttempts.`,
  noGrowth: (p) =>
    `với baseDelayMs ${p.base} và maxDelayMs ${p.max}, thời gian chờ trước lần thử thứ 4 và thứ 5 vẫn xấp xỉ lần đầu (trung vị khoảng cách theo lần retry: ${p.shape}); ` +
    `gấp đôi thì ở đó đã lên tới ${p.fourth} và ${p.fifth} ms trước jitter. Hãy tăng delay theo lũy thừa: baseDelayMs × 2^(attempt − 1), chặn trên ở maxDelayMs.`,
  growOk: (p) => `baseDelayMs ${p.base}, maxDelayMs ${p.max}: trung vị khoảng cách theo lần retry ${p.shape}`,

  tooFewCap: 'quá ít GET được retry đủ bốn lần để thấy delay có dừng ở maxDelayMs hay không: hãy retry mọi 5xx cho tới maxAttempts.',
  pastCap: (p) =>
    `với baseDelayMs ${p.base} và maxDelayMs ${p.max}, trung vị khoảng cách trước lần retry ${p.retry} là ${p.gap} (khoảng cách theo lần retry: ${p.shape}): ` +
    'delay cứ gấp đôi vượt quá mức trần. Hãy chặn nó lại: min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), rồi mới jitter.',
  capOk: (p) => `maxDelayMs ${p.max}: trung vị khoảng cách theo lần retry ${p.shape}`,

  hungNotRetried: (p) =>
    `peer đã đọc GET đầu tiên và không bao giờ trả lời; ${p.story} và ${p.outcome}. Hãy giới hạn từng lần thử: khi chưa có response đầy đủ ` +
    `trong attemptTimeoutMs (${p.timeout}), hãy hủy lần thử đó và retry.`,
  secondTooEarly: (p) =>
    `lần thử thứ hai đến ${p.since} sau lời gọi, trước khi attemptTimeoutMs (${p.timeout}) trôi qua: hãy cho mỗi lần thử trọn attemptTimeoutMs.`,
  secondTooLate: (p) =>
    `lần thử thứ hai đến ${p.gap} sau lần đầu; attemptTimeoutMs là ${p.timeout} và backoff nhiều nhất ${p.backoff}: ` +
    'hãy bắt đầu timer của lần thử khi lần thử bắt đầu, và retry ngay khi nó kích hoạt (sau backoff).',
  hungTooMany: (story) => `lần thử thứ hai đã được trả lời 200, vậy mà ${story}: hãy dừng khi một lần thử đã thành công.`,
  hungWhat: (p) =>
    `lần thử thứ hai đến ${p.since} sau lời gọi, ${p.gap} sau khi lần đầu tới peer (attemptTimeoutMs ${p.timeout}), và nhận được 200`,

  connNeverClosed: 'không bao giờ được đóng',
  connStayedOpen: 'vẫn mở',
  noTimeout: (p) =>
    `peer không bao giờ trả lời ${p.req}; ${p.outcome}, và kết nối của lần thử ${p.conn}: hãy timeout từng lần thử và destroy request của nó.`,
  whenNever: 'không hề được đóng trong suốt thời gian chúng tôi theo dõi',
  whenAfterNext: (after) => `mãi ${after} sau khi lần thử kế tiếp tới mới được đóng`,
  whenAfterReject: (after) => `mãi ${after} sau khi promise reject mới được đóng`,
  closedLate: (p) =>
    `lần thử ${p.attempt} của ${p.req} không được trả lời; peer thấy kết nối của nó ${p.when}. Bỏ mặc một lần thử là chưa đủ: ` +
    'hãy destroy request của nó (req.destroy(), hoặc abort fetch) để socket được đóng trước khi bạn retry — một socket treo bị bỏ mở sẽ rò rỉ, và server cứ làm việc cho không ai cả.',
  seenBeforeNext: (before) => `${before} trước lần thử kế tiếp`,
  seenAfterReject: (after) => `${after} sau lần reject`,
  closedOk: (seen) => `kết nối của mọi lần thử bị timeout đều đã được đóng (${seen.join(', ')})`,

  timeoutNotRejected: (p) =>
    `không lần thử nào của ${p.req} được trả lời (maxAttempts ${p.max}, attemptTimeoutMs ${p.timeout}); ${p.story} và ${p.outcome}. Hãy reject với error timeout khi lần thử cuối bị timeout.`,
  timeoutWrongCount: (p) =>
    `không lần thử nào được trả lời, maxAttempts là ${p.max}, và peer nhận được ${p.count} request: hãy thử đúng maxAttempts lần, mỗi lần giới hạn bởi attemptTimeoutMs.`,
  timeoutWrongTime: (p) =>
    `reject ${p.elapsed} sau lời gọi; ${p.max} lần thử, mỗi lần attemptTimeoutMs ${p.timeout}, cộng thêm backoff, tổng cộng khoảng ${p.about}.`,
  timeoutOk: (p) => `reject ${p.elapsed} sau lời gọi, sau ${p.max} lần thử bị timeout, với ${p.error}`,

  refusedNotRetried: (p) =>
    `router từ chối ${p.refusals} kết nối đầu tiên bằng TCP reset, rồi mới cho đi qua; ${p.syns} SYN đã đi qua router và ${p.outcome}. ` +
    'ECONNREFUSED nghĩa là chưa có gì được gửi đi: hãy retry, có backoff.',
  refusedTooMany: (p) =>
    `router từ chối ${p.refusals} kết nối, rồi cho một kết nối đi qua, nhưng thấy ${p.syns} SYN: mỗi lần thử một kết nối, và không thử thêm sau khi đã thành công.`,
  throughOn: (attempt) => `kết nối thông ở lần thử ${attempt}`,
  alwaysTooFew: (p) =>
    `router từ chối mọi kết nối tới port còn lại, maxAttempts là ${p.max}, và ${p.syns} SYN đã đi qua router (${p.outcome}): ` +
    'hãy retry các kết nối bị từ chối cho tới khi đã thử đủ maxAttempts lần.',
  alwaysTooMany: (p) =>
    `router từ chối mọi kết nối tới port còn lại, maxAttempts là ${p.max}, và ${p.syns} SYN đã đi qua router (${p.outcome}): ` +
    'hãy dừng sau tổng cộng maxAttempts lần thử.',
  refusedOk: (p) => `thông sau ${p.refusals} lần bị từ chối; ${p.max} SYN khi mọi kết nối đều bị từ chối (maxAttempts ${p.max})`,
};

export const m = catalogue(en, vi);

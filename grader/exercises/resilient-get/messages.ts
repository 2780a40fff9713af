/** resilient-get's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'A small resilient HTTP client',
  part: 'Part 10 — Putting it together',

  // Scenarios
  scExhaust: 'every attempt fails: a 4xx; 5xx every time; every SYN refused or unreachable',
  scRecovers: 'refused, 5xx, silent, reset, then 200; a trickling body; dropped SYNs',

  // Check titles
  tRecoversMixed: 'refused, 5xx, silent, reset mid-body, then 200: resolves with the body of the 200',
  tRejects4xx: 'a 4xx rejects at once, without a retry',
  tErrorsNameStatus: "a 4xx's rejection and a run of 5xx's name the status code in the message",
  tExhausts5xx: '5xx every time: exactly maxAttempts requests, then rejects',
  tExhaustsConnection: 'every SYN refused or unreachable: exactly maxAttempts connection attempts, then rejects',
  tConnectionErrorCode: "out of attempts on a connection error: rejects with that error's code",
  tBackoffWaits: 'waits between attempts: refused connections are not retried in a burst',
  tBackoffGrows: 'the waits grow exponentially from baseDelayMs',
  tBackoffJittered: 'the waits are randomised: clients that failed together do not retry together',
  tBackoffCapped: 'the waits stop growing at maxDelayMs',
  tTimeoutSilent: 'a silent server: the attempt is given up attemptTimeoutMs after it began',
  tTimeoutTrickle: 'a body that trickles forever: the attempt is given up attemptTimeoutMs after it began',
  tClosesBeforeRetry: "a timed-out attempt's connection is closed before the next attempt starts",
  tConnectTimeoutRetried: 'SYNs dropped at first: the call still resolves',
  tNoSynAfterSettle: 'once the promise has settled, no more connection attempts',

  // What one resilientGet call did
  noRecord: 'the call left no record',
  afterElapsed: (elapsed: string) => ` after ${elapsed}`,
  outThrew: (error: string) => `resilientGet threw instead of returning a promise (${error})`,
  outPending: 'the promise was still pending when we stopped waiting',
  outResolved: (p: { after: string; what: string }) => `the promise resolved${p.after} with ${p.what}`,
  notAString: 'something that is not a string',
  nCharString: (n: number) => `a ${n}-character string`,
  outRejected: (p: { after: string; error: string }) => `the promise rejected${p.after} with ${p.error}`,

  // Nothing ran
  noCalls: 'the runner recorded no calls',
  nothingRan: (why: string) => `${why}.`,

  // How a connection ended, on the wire
  aReset: 'a reset',
  aFin: 'a FIN',
  theNextAttempt: 'the next attempt',

  // A timed-out attempt (attempt-timeout-silent, attempt-timeout-trickle)
  whatSilent: 'the peer read the request and answered nothing',
  whatTrickle: (p: { every: string; bytes: number }) => `the peer sent headers, then a body byte every ${p.every} (${p.bytes} in all)`,
  neverReceived: (p: { what: string; n: number; port: number; reqs: number; outcome: string }) =>
    `${p.what}: the peer never received request ${p.n} on port ${p.port} (it received ${p.reqs}; ${p.outcome}), so that attempt could not time out. Retry the failures before it.`,
  neverGivenUp: (p: { what: string; outcome: string; timeout: string }) =>
    `${p.what}: the attempt was never given up: no FIN or reset from your side and no next attempt while we watched (${p.outcome}). ` +
    `attemptTimeoutMs (${p.timeout}) bounds the whole attempt — connect, headers and body: start one timer per attempt and destroy the request when it fires.`,
  givenUpEarly: (p: { what: string; elapsed: string; timeout: string }) =>
    `${p.what}: the attempt was given up ${p.elapsed} after its SYN, before attemptTimeoutMs (${p.timeout}): give each attempt the whole attemptTimeoutMs.`,
  givenUpLate: (p: { what: string; via: string; elapsed: string; timeout: string }) =>
    `${p.what}: the attempt was given up (${p.via}) ${p.elapsed} after its SYN, long after attemptTimeoutMs (${p.timeout}). ` +
    `Start the attempt's timer when the attempt starts and let it cover the connect, the headers and the whole body; clear it only when the body has ended.`,
  givenUpOk: (p: { what: string; elapsed: string; via: string; timeout: string }) =>
    `${p.what}: given up ${p.elapsed} after its SYN (${p.via}; attemptTimeoutMs ${p.timeout})`,

  // recovers-mixed
  mixedHead: (p: { status: number; max: number }) =>
    `the router refused the first connection, then the peer answered ${p.status}, said nothing, reset mid-body and answered 200 (maxAttempts ${p.max})`,
  mixedOk: (head: string) => `${head}: resolved with the 200's body after 4 retries`,
  bodyOfStatus: (status: number) => `the ${status}'s body`,
  aNonString: 'a non-string',
  notThe200: (p: { got: string; length: number }) => `${p.got}, not the 200's ${p.length}-character body`,
  mixedWrongBody: (p: { head: string; reqs: number; which: string }) =>
    `${p.head}; the peer received ${p.reqs} request(s) and the promise resolved with ${p.which}. Only a 2xx is a success: a 5xx is a failure to retry, and resolve with the whole body of the 2xx.`,
  mixedTooMany: (p: { head: string; reqs: number }) => `${p.head}; the promise resolved but the peer received ${p.reqs} requests, not 4: stop at the first 2xx.`,
  stoppedRefusal: 'after the refusal (ECONNREFUSED)',
  stoppedStatus: (status: number) => `after the ${status}`,
  stoppedSilent: 'at the silent attempt: it needs a timeout, then a retry',
  stoppedReset: 'after the reset mid-body (ECONNRESET)',
  stopped200: 'at the 200',
  mixedStopped: (p: { head: string; reqs: number; outcome: string; stopped: string }) =>
    `${p.head}; the peer received ${p.reqs} request(s) and ${p.outcome}: your retries stopped ${p.stopped}. Retry on 5xx, refusals, resets and timed-out attempts alike.`,

  // rejects-4xx-at-once
  head4xx: (p: { status: number; max: number }) => `the peer answered ${p.status} (maxAttempts ${p.max})`,
  notRejected4xx: (p: { head: string; outcome: string }) => `${p.head} and ${p.outcome}. A 4xx is the client's mistake: reject with it.`,
  retried4xx: (p: { head: string; reqs: number; attempts: number }) =>
    `${p.head}; the peer received ${p.reqs} request(s) over ${p.attempts} connection(s): a 4xx will not get better by asking again. Reject at once, without a retry.`,
  ok4xx: (head: string) => `${head}: one request, then the promise rejected`,

  // errors-name-status
  statusNotRejected: (p: { status: number; outcome: string }) =>
    `the peer answered ${p.status} to every request and ${p.outcome}: reject with an error that names the status.`,
  statusNotNamed: (p: { status: number; error: string }) =>
    `the peer answered ${p.status} and the rejection was ${p.error}: the caller cannot tell why it failed. Put the status in the message, e.g. "HTTP ${p.status}".`,
  statusOk: 'every status rejection named its status code',

  // exhausts-5xx, exhausts-connection-errors
  head5xx: (p: { status: number; max: number; reqs: number; outcome: string }) =>
    `the peer answered ${p.status} to every request (maxAttempts ${p.max}); it received ${p.reqs} request(s) and ${p.outcome}`,
  resolved5xx: (head: string) => `${head}. A 5xx is a failure, not a result: retry it, and reject when the attempts run out.`,
  countsEveryAttempt: (p: { head: string; max: number }) => `${p.head}. maxAttempts counts every attempt, the first one too: make exactly ${p.max}.`,
  rejectWithLast: (head: string) => `${head}. Once the attempts run out, reject with the last error.`,
  ok5xx: 'every client made exactly maxAttempts requests, then rejected',
  howRefused: 'refused with a TCP reset (ECONNREFUSED)',
  howUnreachable: 'answered with ICMP host-unreachable (EHOSTUNREACH)',
  headConnection: (p: { how: string; port: number; max: number; syns: number; outcome: string }) =>
    `the router ${p.how} every SYN to port ${p.port} (maxAttempts ${p.max}); ${p.syns} SYN(s) crossed it and ${p.outcome}`,
  hintTooFew: 'A refused or unreachable connect is worth retrying: the service may be restarting.',
  hintTooMany: 'maxAttempts counts every attempt, the first one too.',
  connectionCount: (p: { head: string; hint: string; max: number }) => `${p.head}. ${p.hint} Make exactly ${p.max} attempts.`,
  okConnection: 'every client made exactly maxAttempts connection attempts on the wire, then rejected',

  // connection-error-code
  codeNotRejected: (p: { port: number; want: string; outcome: string }) =>
    `every connection to port ${p.port} failed with ${p.want} and ${p.outcome}: reject with the last error.`,
  codeMissing: (p: { port: number; want: string; error: string }) =>
    `every connection to port ${p.port} failed with ${p.want}, and the rejection was ${p.error}: the caller needs the code. Reject with the last error itself (or keep it as the cause).`,
  codeOk: 'rejected with ECONNREFUSED and EHOSTUNREACH, as the last attempts failed',

  // backoff-waits
  noRetries: 'no client retried a refused or unreachable connection, so there were no waits to measure.',
  burst: (p: { waited: string; clients: number; base: number; nominal: string }) =>
    `every SYN was refused at once, and the next SYN followed after ${p.waited} in all per client (mean over ${p.clients}), ` +
    `where baseDelayMs ${p.base} doubling makes about ${p.nominal} before jitter: a burst against a failing service. Wait (and await the wait) between attempts.`,
  waitsOk: (p: { waited: string; nominal: string }) => `SYN gaps added up to ${p.waited} per client (mean; about ${p.nominal} nominal)`,

  // backoff-grows
  tooFewToGrow: (p: { count: number; total: number; max: number }) =>
    `only ${p.count} of ${p.total} clients made maxAttempts (${p.max}) connection attempts, too few to see the waits grow.`,
  noGrowth: (p: { base: number; maxDelay: number; clients: number; medians: number[]; nominals: number[] }) =>
    `with baseDelayMs ${p.base} and maxDelayMs ${p.maxDelay}, the waits before each retry (median over ${p.clients} clients) were ${p.medians.join(', ')} ms; ` +
    `doubling from the base they would be about ${p.nominals.join(', ')} ms before jitter. ` +
    'Make the delay before retry k baseDelayMs × 2^(k−1), capped at maxDelayMs, then add jitter.',
  growsOk: (p: { medians: number[]; nominals: number[] }) => `median waits ${p.medians.join(', ')} ms (nominal ${p.nominals.join(', ')} ms)`,

  // backoff-jittered
  tooFewToCompare: (p: { count: number; total: number; max: number }) =>
    `only ${p.count} of ${p.total} clients made maxAttempts (${p.max}) connection attempts, too few to compare their waits.`,
  lockstep: (p: { clients: number; next: number; waits: number[] }) =>
    `${p.clients} clients refused at the same moment retried in lockstep: before attempt ${p.next} they waited ${p.waits.join(', ')} ms. ` +
    'Every client then hits the recovering service at the same instant — randomise each delay (jitter), e.g. a random wait between 0 and the capped delay.',
  jitterOk: (p: { next: number; clients: number; waits: number[] }) => `before attempt ${p.next}, ${p.clients} clients waited ${p.waits.join(', ')} ms`,

  // backoff-capped
  tooFewToCap: (p: { count: number; total: number; max: number; outcome: string }) =>
    `the peer answered 5xx to every request, but only ${p.count} of ${p.total} clients made all ${p.max} attempts (${p.outcome}), too few to see the cap.`,
  pastCap: (p: { base: number; maxDelay: number; first: number; second: number; medians: string[]; uncappedFirst: string; uncappedSecond: string }) =>
    `with baseDelayMs ${p.base} and maxDelayMs ${p.maxDelay}, the median waits before attempts ${p.first} and ${p.second} were ${p.medians.join(' and ')} ` +
    `(uncapped: ${p.uncappedFirst} and ${p.uncappedSecond}). Cap the delay at maxDelayMs: min(maxDelayMs, baseDelayMs × 2^(k−1)).`,
  capOk: (p: { medians: string[]; maxDelay: string }) => `median waits ${p.medians.join(' and ')} at the last two retries (maxDelayMs ${p.maxDelay})`,

  // closes-before-retry
  silentServer: 'silent server',
  tricklingBody: 'trickling body',
  closeNoRequest: (p: { what: string; outcome: string }) =>
    `${p.what}: the peer never received that request (${p.outcome}), so no timed-out connection could be closed.`,
  closeNoNext: (p: { what: string; outcome: string }) =>
    `${p.what}: after the attempt timed out there was no next attempt (${p.outcome}). A timed-out attempt is a failure to retry, like a 5xx.`,
  closedLateBy: (gap: string) => `the router saw its FIN or reset only ${gap} after the next attempt's SYN`,
  closedNever: 'the router saw its FIN or reset not at all while we watched',
  closedTooLate: (p: { what: string; late: string }) =>
    `${p.what}: the next attempt's SYN left your host while the timed-out connection was still open — ${p.late}. ` +
    'Rejecting the attempt is not enough: destroy the request (req.destroy(), or abort the fetch) so its socket closes before you retry.',
  closedBefore: (p: { what: string; how: string; gap: string }) => `${p.what}: ${p.how} ${p.gap} before the next SYN`,
  closedOk: (seen: string[]) => seen.join('; '),

  // connect-timeout-retried
  droppedOk: (elapsed: string) => `the firewall dropped the first 2 SYNs; resolved with the body after ${elapsed}`,
  droppedFail: (p: { port: number; timeout: string; max: number; syns: number; outcome: string }) =>
    `the firewall silently dropped the first 2 SYNs to port ${p.port}, then let them through (attemptTimeoutMs ${p.timeout}, maxAttempts ${p.max}); ` +
    `${p.syns} SYN(s) crossed the router and ${p.outcome}. A connect that does not finish within attemptTimeoutMs is a timed-out attempt: give it up and retry.`,

  // no-syn-after-settle
  synAfterSettle: (p: { port: number; outcome: string; late: number; first: string }) =>
    `port ${p.port}: ${p.outcome}, yet ${p.late} more connection attempt(s) crossed the router after that (the first ${p.first} later). ` +
    'When you settle the promise, stop the loop too: return (or break) right after resolving or rejecting.',
  noCallsAtAll: 'no calls',
  noneSettled: (outcome: string) => `no promise settled (${outcome}), so there was no end after which to watch for connection attempts.`,
  settleOk: (settled: number) => `no connection attempt after any of the ${settled} promises settled`,
};

const vi: typeof en = {
  title: 'Một HTTP client nhỏ mà bền bỉ',
  part: 'Phần 10 — Ghép mọi thứ lại với nhau',

  scExhaust: 'attempt nào cũng thất bại: một 4xx; lần nào cũng 5xx; mọi SYN bị refuse hoặc unreachable',
  scRecovers: 'bị refuse, 5xx, im lặng, reset, rồi 200; một body nhỏ giọt; SYN bị drop',

  tRecoversMixed: 'bị refuse, 5xx, im lặng, reset giữa body, rồi 200: resolve với body của 200',
  tRejects4xx: 'một 4xx thì reject ngay, không retry',
  tErrorsNameStatus: 'error khi reject vì một 4xx, hay vì một loạt 5xx, có status code trong message',
  tExhausts5xx: 'lần nào cũng 5xx: đúng maxAttempts request, rồi reject',
  tExhaustsConnection: 'mọi SYN bị refuse hoặc unreachable: connect đúng maxAttempts lần, rồi reject',
  tConnectionErrorCode: 'hết attempt vì lỗi connection: reject với code của chính lỗi đó',
  tBackoffWaits: 'có chờ giữa các attempt: connection bị refuse không được retry dồn dập',
  tBackoffGrows: 'thời gian chờ tăng theo lũy thừa từ baseDelayMs',
  tBackoffJittered: 'thời gian chờ được ngẫu nhiên hóa: các client thất bại cùng lúc không retry cùng lúc',
  tBackoffCapped: 'thời gian chờ thôi tăng khi chạm maxDelayMs',
  tTimeoutSilent: 'server im lặng: attempt bị bỏ khi hết attemptTimeoutMs kể từ lúc nó bắt đầu',
  tTimeoutTrickle: 'body nhỏ giọt mãi không dứt: attempt bị bỏ khi hết attemptTimeoutMs kể từ lúc nó bắt đầu',
  tClosesBeforeRetry: 'connection của một attempt bị timeout được đóng trước khi attempt sau bắt đầu',
  tConnectTimeoutRetried: 'mấy SYN đầu bị drop: lời gọi vẫn resolve',
  tNoSynAfterSettle: 'khi promise đã settle, không còn lần connect nào nữa',

  noRecord: 'lời gọi không để lại bản ghi nào',
  afterElapsed: (elapsed) => ` sau ${elapsed}`,
  outThrew: (error) => `resilientGet throw ngay thay vì trả về một promise (${error})`,
  outPending: 'promise vẫn còn pending khi chúng tôi ngừng chờ',
  outResolved: (p) => `promise đã resolve${p.after} với ${p.what}`,
  notAString: 'một thứ không phải string',
  nCharString: (n) => `một string ${n} ký tự`,
  outRejected: (p) => `promise đã reject${p.after} với ${p.error}`,

  noCalls: 'runner không ghi nhận được lời gọi nào',
  nothingRan: (why) => `${why}.`,

  aReset: 'một reset',
  aFin: 'một FIN',
  theNextAttempt: 'attempt kế tiếp',

  whatSilent: 'peer đọc request rồi không trả lời gì',
  whatTrickle: (p) => `peer gửi header, rồi cứ ${p.every} lại gửi một byte body (tổng cộng ${p.bytes} byte)`,
  neverReceived: (p) =>
    `${p.what}: peer chưa hề nhận được request ${p.n} trên port ${p.port} (nó nhận ${p.reqs} request; ${p.outcome}), nên attempt đó không có dịp timeout. Hãy retry các lần thất bại trước nó.`,
  neverGivenUp: (p) =>
    `${p.what}: attempt không bao giờ bị bỏ: suốt lúc chúng tôi theo dõi, phía bạn không gửi FIN hay reset nào và cũng không có attempt kế tiếp (${p.outcome}). ` +
    `attemptTimeoutMs (${p.timeout}) giới hạn cả attempt — connect, header và body: hãy bắt đầu một timer cho mỗi attempt và destroy request khi timer fire.`,
  givenUpEarly: (p) =>
    `${p.what}: attempt bị bỏ ${p.elapsed} sau SYN của nó, trước khi hết attemptTimeoutMs (${p.timeout}): hãy cho mỗi attempt trọn attemptTimeoutMs.`,
  givenUpLate: (p) =>
    `${p.what}: attempt bị bỏ (${p.via}) ${p.elapsed} sau SYN của nó, quá lâu sau attemptTimeoutMs (${p.timeout}). ` +
    'Hãy bắt đầu timer của attempt ngay khi attempt bắt đầu và để nó bao trọn connect, header lẫn toàn bộ body; chỉ clear nó khi body đã kết thúc.',
  givenUpOk: (p) => `${p.what}: bị bỏ ${p.elapsed} sau SYN của nó (${p.via}; attemptTimeoutMs ${p.timeout})`,

  mixedHead: (p) =>
    `router refuse connection đầu tiên, sau đó peer trả ${p.status}, im lặng, reset giữa body rồi trả 200 (maxAttempts ${p.max})`,
  mixedOk: (head) => `${head}: đã resolve với body của 200 sau 4 lần retry`,
  bodyOfStatus: (status) => `body của ${status}`,
  aNonString: 'một thứ không phải string',
  notThe200: (p) => `${p.got}, không phải body ${p.length} ký tự của 200`,
  mixedWrongBody: (p) =>
    `${p.head}; peer nhận ${p.reqs} request và promise đã resolve với ${p.which}. Chỉ 2xx mới là thành công: 5xx là một thất bại cần retry, và hãy resolve với toàn bộ body của 2xx.`,
  mixedTooMany: (p) => `${p.head}; promise đã resolve nhưng peer nhận ${p.reqs} request chứ không phải 4: hãy dừng ở 2xx đầu tiên.`,
  stoppedRefusal: 'sau lần bị refuse (ECONNREFUSED)',
  stoppedStatus: (status) => `sau ${status}`,
  stoppedSilent: 'ở attempt im lặng: nó cần một timeout, rồi một lần retry',
  stoppedReset: 'sau lần reset giữa body (ECONNRESET)',
  stopped200: 'ở 200',
  mixedStopped: (p) =>
    `${p.head}; peer nhận ${p.reqs} request và ${p.outcome}: các lần retry của bạn dừng ${p.stopped}. Hãy retry như nhau khi gặp 5xx, bị refuse, bị reset hay attempt bị timeout.`,

  head4xx: (p) => `peer trả ${p.status} (maxAttempts ${p.max})`,
  notRejected4xx: (p) => `${p.head} và ${p.outcome}. 4xx là lỗi của phía client: hãy reject với nó.`,
  retried4xx: (p) =>
    `${p.head}; peer nhận ${p.reqs} request qua ${p.attempts} connection: hỏi lại bao nhiêu lần thì 4xx cũng không khá hơn. Hãy reject ngay, không retry.`,
  ok4xx: (head) => `${head}: một request, rồi promise reject`,

  statusNotRejected: (p) => `peer trả ${p.status} cho mọi request và ${p.outcome}: hãy reject với một error có nêu status.`,
  statusNotNamed: (p) =>
    `peer trả ${p.status} và error khi reject là ${p.error}: nơi gọi không biết vì sao nó thất bại. Hãy đưa status vào message, ví dụ "HTTP ${p.status}".`,
  statusOk: 'mọi lần reject vì status đều nêu status code của nó',

  head5xx: (p) => `peer trả ${p.status} cho mọi request (maxAttempts ${p.max}); nó nhận ${p.reqs} request và ${p.outcome}`,
  resolved5xx: (head) => `${head}. 5xx là một thất bại, không phải kết quả: hãy retry nó, và reject khi hết attempt.`,
  countsEveryAttempt: (p) => `${p.head}. maxAttempts đếm mọi attempt, kể cả lần đầu: hãy thực hiện đúng ${p.max} attempt.`,
  rejectWithLast: (head) => `${head}. Khi hết attempt, hãy reject với error cuối cùng.`,
  ok5xx: 'mọi client đều gửi đúng maxAttempts request, rồi reject',
  howRefused: 'refuse bằng TCP reset (ECONNREFUSED)',
  howUnreachable: 'trả lời bằng ICMP host-unreachable (EHOSTUNREACH)',
  headConnection: (p) =>
    `với maxAttempts ${p.max}, mọi SYN tới port ${p.port} đều bị router ${p.how}; ${p.syns} SYN đã đi qua router và ${p.outcome}`,
  hintTooFew: 'Một lần connect bị refuse hay unreachable vẫn đáng retry: có thể service đang khởi động lại.',
  hintTooMany: 'maxAttempts đếm mọi attempt, kể cả lần đầu.',
  connectionCount: (p) => `${p.head}. ${p.hint} Hãy thực hiện đúng ${p.max} attempt.`,
  okConnection: 'mọi client đều connect đúng maxAttempts lần trên đường truyền, rồi reject',

  codeNotRejected: (p) => `mọi connection tới port ${p.port} đều thất bại với ${p.want} và ${p.outcome}: hãy reject với error cuối cùng.`,
  codeMissing: (p) =>
    `mọi connection tới port ${p.port} đều thất bại với ${p.want}, còn error khi reject là ${p.error}: nơi gọi cần code đó. Hãy reject với chính error cuối cùng (hoặc giữ nó làm cause).`,
  codeOk: 'đã reject với ECONNREFUSED và EHOSTUNREACH, đúng lỗi của các attempt cuối',

  noRetries: 'không client nào retry một connection bị refuse hay unreachable, nên không có lần chờ nào để đo.',
  burst: (p) =>
    `mọi SYN đều bị refuse ngay, và SYN kế tiếp tới sau tổng cộng ${p.waited} mỗi client (trung bình trên ${p.clients} client), ` +
    `trong khi baseDelayMs ${p.base} gấp đôi dần phải cho khoảng ${p.nominal} trước khi có jitter: một loạt kết nối dồn dập vào service đang lỗi. Hãy chờ (và await lần chờ đó) giữa các attempt.`,
  waitsOk: (p) => `khoảng cách giữa các SYN cộng lại ${p.waited} mỗi client (trung bình; danh nghĩa khoảng ${p.nominal})`,

  tooFewToGrow: (p) => `chỉ ${p.count} trong ${p.total} client connect đủ maxAttempts (${p.max}) lần, quá ít để thấy thời gian chờ tăng dần.`,
  noGrowth: (p) =>
    `với baseDelayMs ${p.base} và maxDelayMs ${p.maxDelay}, thời gian chờ trước mỗi lần retry (trung vị trên ${p.clients} client) là ${p.medians.join(', ')} ms; ` +
    `gấp đôi từ base thì chúng phải vào khoảng ${p.nominals.join(', ')} ms trước khi có jitter. ` +
    'Hãy cho delay trước lần retry thứ k là baseDelayMs × 2^(k−1), chặn trên ở maxDelayMs, rồi thêm jitter.',
  growsOk: (p) => `trung vị thời gian chờ ${p.medians.join(', ')} ms (danh nghĩa ${p.nominals.join(', ')} ms)`,

  tooFewToCompare: (p) => `chỉ ${p.count} trong ${p.total} client connect đủ maxAttempts (${p.max}) lần, quá ít để so sánh thời gian chờ của chúng.`,
  lockstep: (p) =>
    `${p.clients} client bị refuse cùng một lúc đã retry đồng loạt theo cùng một nhịp: trước attempt ${p.next}, chúng chờ ${p.waits.join(', ')} ms. ` +
    'Khi đó mọi client cùng ập vào service đang hồi phục trong cùng một khoảnh khắc — hãy ngẫu nhiên hóa từng delay (jitter), ví dụ chờ một khoảng ngẫu nhiên từ 0 đến delay đã chặn trần.',
  jitterOk: (p) => `trước attempt ${p.next}, ${p.clients} client chờ ${p.waits.join(', ')} ms`,

  tooFewToCap: (p) =>
    `peer trả 5xx cho mọi request, nhưng chỉ ${p.count} trong ${p.total} client thực hiện đủ ${p.max} attempt (${p.outcome}), quá ít để thấy mức trần.`,
  pastCap: (p) =>
    `với baseDelayMs ${p.base} và maxDelayMs ${p.maxDelay}, trung vị thời gian chờ trước attempt ${p.first} và ${p.second} là ${p.medians.join(' và ')} ` +
    `(nếu không có trần: ${p.uncappedFirst} và ${p.uncappedSecond}). Hãy chặn delay ở maxDelayMs: min(maxDelayMs, baseDelayMs × 2^(k−1)).`,
  capOk: (p) => `trung vị thời gian chờ ${p.medians.join(' và ')} ở hai lần retry cuối (maxDelayMs ${p.maxDelay})`,

  silentServer: 'server im lặng',
  tricklingBody: 'body nhỏ giọt',
  closeNoRequest: (p) => `${p.what}: peer chưa hề nhận được request đó (${p.outcome}), nên không có connection bị timeout nào để đóng.`,
  closeNoNext: (p) =>
    `${p.what}: sau khi attempt bị timeout thì không có attempt kế tiếp (${p.outcome}). Một attempt bị timeout là một thất bại cần retry, giống như 5xx.`,
  closedLateBy: (gap) => `mãi ${gap} sau SYN của attempt kế tiếp, router mới thấy FIN hoặc reset của nó`,
  closedNever: 'suốt lúc chúng tôi theo dõi, router không thấy FIN hay reset nào của nó',
  closedTooLate: (p) =>
    `${p.what}: SYN của attempt kế tiếp đã rời host của bạn trong khi connection bị timeout vẫn còn mở — ${p.late}. ` +
    'Reject attempt thôi là chưa đủ: hãy destroy request (req.destroy(), hoặc abort fetch) để socket của nó đóng trước khi bạn retry.',
  closedBefore: (p) => `${p.what}: ${p.how} ${p.gap} trước SYN kế tiếp`,
  closedOk: (seen) => seen.join('; '),

  droppedOk: (elapsed) => `firewall drop 2 SYN đầu tiên; đã resolve với body sau ${elapsed}`,
  droppedFail: (p) =>
    `firewall lặng lẽ drop 2 SYN đầu tiên tới port ${p.port}, rồi mới cho đi qua (attemptTimeoutMs ${p.timeout}, maxAttempts ${p.max}); ` +
    `${p.syns} SYN đã đi qua router và ${p.outcome}. Một lần connect không xong trong attemptTimeoutMs là một attempt bị timeout: hãy bỏ nó và retry.`,

  synAfterSettle: (p) =>
    `port ${p.port}: ${p.outcome}, vậy mà sau đó vẫn còn ${p.late} lần connect nữa đi qua router (lần đầu tiên ${p.first} sau đó). ` +
    'Khi settle promise, hãy dừng cả vòng lặp: return (hoặc break) ngay sau khi resolve hay reject.',
  noCallsAtAll: 'không có lời gọi nào',
  noneSettled: (outcome) => `không promise nào settle (${outcome}), nên không có thời điểm kết thúc nào để theo dõi các lần connect sau đó.`,
  settleOk: (settled) => `không có lần connect nào sau khi ${settled} promise settle`,
};

export const m = catalogue(en, vi);

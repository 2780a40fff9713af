/** retry-backoff's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'Retry with exponential backoff and jitter',
  part: 'Part 10 — Retries done right',

  // Scenarios
  scStorm: (clients: number) => `${clients} clients, every call fails`,
  scOutcomes: (succeedFrom: number) => `a call that succeeds on try ${succeedFrom}; an error shouldRetry refuses`,
  scWire: (refusals: number) => `real connections, the first ${refusals} refused with a TCP reset`,

  // Check titles
  tFirstSuccess: 'returns the value of the first call that succeeds, and calls fn no more',
  tMaxAttempts: 'when every call fails, calls fn exactly maxAttempts times',
  tLastError: 'when every call fails, rejects with the error of the last call',
  tShouldRetry: 'stops at once and rethrows when shouldRetry says no',
  tAttemptNumbers: 'shouldRetry gets each error with its attempt number, counted from 1',
  tNoWaitAfterFinal: 'does not sleep after the final failed attempt',
  tGrow: 'the waits double from baseDelayMs with every failed attempt',
  tCapped: 'the waits stop growing at maxDelayMs',
  tJittered: 'the waits are randomised, so clients that failed together do not retry together',
  tRealPeer: 'real connections: retries through refusals and returns the connection that got through',
  tSpaced: 'real connections: the attempts on the wire are spaced out, not a burst',

  // Small phrases: calls, times, clients, durations
  call1: 'call 1',
  calls1and2: 'calls 1 and 2',
  callsTo: (n: number) => `calls 1 to ${n}`,
  once: 'once',
  twice: 'twice',
  nTimes: (n: number) => `${n} times`,
  allClients: (total: number) => `all ${total} clients`,
  someClients: (p: { count: number; total: number }) => `${p.count} of ${p.total} clients`,
  underOneMs: 'under 1 ms',
  range: (p: { from: string; to: string }) => `${p.from} to ${p.to}`,

  // What one retryWithBackoff call did
  threw: (error: string) => `retryWithBackoff threw instead of returning a promise (${error})`,
  fnNeverCalled: 'fn was never called',
  fnCalled: (times: string) => `fn was called ${times}`,
  outPending: (calls: string) => `${calls} and the promise had not settled when we stopped waiting`,
  outResolved: (p: { calls: string; how: string }) => `${p.calls} and the promise resolved${p.how}`,
  withValueOf: (call: number) => ` with the value of call ${call}`,
  notAValue: ' (not with a value fn returned)',
  outRejected: (p: { calls: string; error: string; from: string }) => `${p.calls} and the promise rejected with ${p.error}${p.from}`,
  errorOfCallSuffix: (call: number) => ` — the error of call ${call}`,

  // Nothing ran
  noCalls: 'the runner recorded no calls',
  nothingRan: (why: string) => `${why}.`,

  // returns-first-success
  firstSuccessOk: (p: { failed: string; n: number }) =>
    `fn failed ${p.failed}, succeeded on call ${p.n}: the promise resolved with that value and fn was not called again`,
  firstSuccessHead: (p: { calls: string; n: number; max: number; clients: string; outcome: string }) =>
    `fn failed on ${p.calls} and succeeded from call ${p.n} on (maxAttempts ${p.max}); in ${p.clients}, ${p.outcome}.`,
  calledAgain: (head: string) => `${head} Once a call succeeds the job is done: return its result at once instead of calling fn again.`,
  resolveExactly: (head: string) => `${head} Resolve with exactly what the successful call returned.`,
  retryUntilSuccess: (head: string) => `${head} Retry failed calls until one succeeds (or the attempts run out), then return its result.`,

  // calls-max-attempts
  maxAttemptsOk: (maxes: number[]) => `every client called fn exactly maxAttempts (${maxes.join(' and ')}) times, then gave up`,
  maxHead: (p: { max: number; clients: string; outcome: string }) =>
    `every call failed and maxAttempts was ${p.max}; in ${p.clients}, ${p.outcome}.`,
  tooManyCalls: (p: { head: string; max: number; retries: number }) =>
    `${p.head} maxAttempts counts every call of fn, the first one included: ${p.max} attempts are 1 call plus ${p.retries} retries.`,
  stopAfterMax: (head: string) => `${head} Stop after maxAttempts calls and throw.`,
  keepRetrying: (p: { head: string; max: number }) => `${p.head} Keep retrying until fn has been called maxAttempts times (attempts 1 to ${p.max}).`,

  // rethrows-last-error
  lastErrorOk: 'every client rejected with the very error object its last call threw',
  lastHead: (p: { clients: string; outcome: string }) => `with every call failing, in ${p.clients}, ${p.outcome}.`,
  callFnThenThrow: (head: string) => `${head} Call fn, and when the attempts run out, throw the error of the last call.`,
  looksLikeSuccess: (head: string) => `${head} A caller cannot tell that from success: when the attempts run out, throw the last error.`,
  notFnError: (head: string) =>
    `${head} That is not an error fn threw: rethrow the last error object itself, so callers can still read its code (ECONNRESET, ETIMEDOUT, …).`,
  rethrowLast: (p: { head: string; last: number }) =>
    `${p.head} Rethrow the error of the last attempt (call ${p.last}): it is the freshest news about the service.`,
  throwLast: (head: string) => `${head} When the attempts run out, throw the last error.`,

  // respects-should-retry
  srHead: (p: { calls: string; n: number; code: string; clients: string; outcome: string }) =>
    `shouldRetry said yes to the errors of ${p.calls} and no to the error of call ${p.n} (${p.code}); in ${p.clients}, ${p.outcome}.`,
  srKeptGoing: (head: string) => `${head} When shouldRetry returns false, throw that error at once: more attempts cannot help.`,
  srRetryWhileYes: (head: string) => `${head} Retry while shouldRetry says yes.`,
  srAsk: (head: string) => `${head} Ask shouldRetry(err, attempt) after each failure; when it says no, throw that error.`,
  srSlept: (p: { n: number; lag: string }) =>
    `shouldRetry said no to the error of call ${p.n}, and the promise rejected ${p.lag} later (median): ask shouldRetry before sleeping, and throw at once when it says no.`,
  srOk: (p: { n: number; lag: string }) => `stopped after call ${p.n} and rejected with its error ${p.lag} later (median)`,

  // should-retry-attempt-numbers
  asked: (p: { error: string; attempt: string }) => `(${p.error}, ${p.attempt})`,
  errorOfCall: (call: number) => `error of call ${call}`,
  notThrownByFn: 'an error fn did not throw',
  nobodyAsked: '—',
  srNeverCalled: (outcome: string) => `shouldRetry was never called (${outcome}). Call shouldRetry(err, attempt) after every failed attempt.`,
  srFromZero: (asked: string) =>
    `shouldRetry was called as ${asked}. Attempt numbers start at 1: the first call of fn is attempt 1, so shouldRetry(err, 1) judges its error.`,
  srWrongArgs: (asked: string) =>
    `shouldRetry was called as ${asked}. Pass the error of the attempt that just failed, and that attempt’s number (counted from 1).`,
  srMissing: (p: { asked: string; missing: string }) =>
    `shouldRetry was called as ${p.asked}, never for attempt ${p.missing}: ask it after every failed attempt.`,
  srCalledAs: (asked: string) => `shouldRetry was called as ${asked}`,

  // no-wait-after-final
  noneSettled: (outcome: string) => `no client got as far as settling after a failed call: ${outcome}.`,
  sleptAfterFinal: (p: { lag: string; clients: number }) =>
    `after the last attempt failed, the promise took ${p.lag} (median over ${p.clients} clients) to reject: ` +
    'a wait after the final attempt only delays the bad news. Throw as soon as the last attempt fails.',
  finalOk: (p: { lag: string; clients: number }) => `rejected ${p.lag} after the last failure (median over ${p.clients} clients)`,

  // delays-grow-exponentially
  tooFewGrow: (p: { last: number; outcome: string }) => `too few clients retried ${p.last} times to see the waits grow: ${p.outcome}.`,
  shape: (p: { last: number; medians: string }) => `median waits after attempts 1 to ${p.last}: ${p.medians}`,
  noWaitAtAll: (typical: string) =>
    `the attempts followed each other with no wait at all (median ${typical} between attempts): a retry storm. ` +
    'Sleep between attempts — and await the sleep.',
  growTooSlow: (p: { shape: string; base: number; nominal: number; next: number; late: string }) =>
    `the waits grew too slowly (${p.shape}). Doubling from baseDelayMs ${p.base} ms reaches ${p.nominal} ms ` +
    `by the wait before attempt ${p.next}, yet 90% of clients waited under ${p.late} there. ` +
    'Grow the delay exponentially: baseDelayMs × 2^(attempt − 1), capped at maxDelayMs.',
  noGrowth: (p: { shape: string; next: number }) =>
    `the waits did not grow (${p.shape}): the wait before attempt ${p.next} is barely longer than the first. ` +
    'Start from baseDelayMs and double the delay after every failed attempt.',

  // delays-capped
  tooFewCap: (p: { step: number; outcome: string }) => `too few clients retried ${p.step} times to see the cap: ${p.outcome}.`,
  pastCap: (p: { base: number; max: number; shape: string }) =>
    `with baseDelayMs ${p.base} and maxDelayMs ${p.max}, the ${p.shape}: the delay kept doubling past the cap. ` +
    'Clamp it: Math.min(maxDelayMs, baseDelayMs × 2^(attempt − 1)) — a long outage must not make clients wait for ever.',
  capOk: (p: { max: number; shape: string }) => `maxDelayMs ${p.max}: ${p.shape}`,

  // delays-jittered
  tooFewSpread: (outcome: string) => `too few clients retried 5 times to see how their waits spread: ${outcome}.`,
  nothingToRandomise: (p: { next: number; middle: string }) =>
    `before attempt ${p.next} the clients waited ${p.middle} (middle half): there is no wait to randomise. ` +
    'Sleep a random part of the backoff delay between attempts — and await the sleep.',
  lockstep: (p: { clients: number; next: number; middle: string }) =>
    `${p.clients} clients that failed at the same moment retried in lockstep: before attempt ${p.next}, ` +
    `the middle half of them waited ${p.middle}. Every client hits the recovering service at the same instant — ` +
    'randomise each delay (jitter), e.g. a random wait between 0 and the backoff delay.',
  spreadOk: (p: { next: number; count: number; middle: string }) => `before attempt ${p.next}, the middle half of ${p.count} clients waited ${p.middle}`,

  // recovers-real-peer
  wireHead: (p: { refusals: number; port: number; outcome: string }) =>
    `the router refused the first ${p.refusals} connections to port ${p.port} with a TCP reset, then let them through; ${p.outcome}`,
  keptRetrying: (p: { head: string; accepts: number }) =>
    `${p.head}, and the peer accepted ${p.accepts} connection(s). Stop retrying once fn succeeds, and return what it returned.`,
  retryRefused: (head: string) => `${head}. Retry refused connections (ECONNREFUSED) with backoff until one gets through, and return it.`,
  wrongCounts: (p: { head: string; syns: number; accepts: number; expected: number }) =>
    `${p.head}, but the router saw ${p.syns} SYN(s) and the peer accepted ${p.accepts} connection(s) (expected ${p.expected} and 1).`,
  realPeerOk: (p: { attempt: number; refusals: number }) =>
    `every client got through on attempt ${p.attempt}, after ${p.refusals} refusals: one connection accepted per port`,

  // spaced-on-the-wire
  noSecond: 'no client made a second connection attempt.',
  noSecondBecause: (outcome: string) => `no client made a second connection attempt (${outcome}).`,
  burst: (p: { waited: string; clients: number; base: number; expected: string }) =>
    `the router refused connections with a TCP reset, and each client tried again after waiting ${p.waited} in all ` +
    `(mean over ${p.clients} clients, from each refusal to the next SYN): a burst against a service that is refusing. ` +
    `With baseDelayMs ${p.base} the waits should add up to about ${p.expected} before jitter. ` +
    'Wait between attempts — and await the wait.',
  onTheWire: 'on the wire',
  onTheWireLagged: (clients: number) => `on the wire (for ${clients} clients the router's trace lagged; their calls were timed instead)`,
  spacedOk: (p: { waited: string; source: string; gaps: string }) =>
    `waits added up to ${p.waited} per client (mean); SYN gaps ${p.source}, median per retry: ${p.gaps}`,
};

const vi: typeof en = {
  title: 'Retry với backoff lũy thừa và jitter',
  part: 'Phần 10 — Retry đúng cách',

  scStorm: (clients) => `${clients} client, lần gọi nào cũng thất bại`,
  scOutcomes: (succeedFrom) => `một lời gọi thành công ở lần thử ${succeedFrom}; một error bị shouldRetry từ chối`,
  scWire: (refusals) => `kết nối thật, ${refusals} kết nối đầu tiên bị từ chối bằng TCP reset`,

  tFirstSuccess: 'trả về giá trị của lần gọi thành công đầu tiên, và không gọi fn thêm nữa',
  tMaxAttempts: 'khi mọi lần gọi đều thất bại, gọi fn đúng maxAttempts lần',
  tLastError: 'khi mọi lần gọi đều thất bại, reject với error của lần gọi cuối',
  tShouldRetry: 'dừng ngay và throw lại error khi shouldRetry trả lời không',
  tAttemptNumbers: 'shouldRetry nhận từng error cùng số thứ tự lần thử của nó, đếm từ 1',
  tNoWaitAfterFinal: 'không sleep sau lần thử thất bại cuối cùng',
  tGrow: 'thời gian chờ gấp đôi từ baseDelayMs sau mỗi lần thử thất bại',
  tCapped: 'thời gian chờ thôi tăng khi chạm maxDelayMs',
  tJittered: 'thời gian chờ được ngẫu nhiên hóa, nên các client thất bại cùng lúc không retry cùng lúc',
  tRealPeer: 'kết nối thật: retry vượt qua các lần bị từ chối và trả về kết nối đã thông',
  tSpaced: 'kết nối thật: các lần thử trên đường truyền được giãn cách, không ập đến thành một loạt',

  call1: 'lần gọi 1',
  calls1and2: 'các lần gọi 1 và 2',
  callsTo: (n) => `các lần gọi 1 đến ${n}`,
  once: '1 lần',
  twice: '2 lần',
  nTimes: (n) => `${n} lần`,
  allClients: (total) => `cả ${total} client`,
  someClients: (p) => `${p.count} trong ${p.total} client`,
  underOneMs: 'chưa tới 1 ms',
  range: (p) => `${p.from} đến ${p.to}`,

  threw: (error) => `retryWithBackoff throw ngay thay vì trả về một promise (${error})`,
  fnNeverCalled: 'fn chưa hề được gọi',
  fnCalled: (times) => `fn được gọi ${times}`,
  outPending: (calls) => `${calls} và promise vẫn chưa settle khi chúng tôi ngừng chờ`,
  outResolved: (p) => `${p.calls} và promise đã resolve${p.how}`,
  withValueOf: (call) => ` với giá trị của lần gọi ${call}`,
  notAValue: ' (không phải với một giá trị mà fn trả về)',
  outRejected: (p) => `${p.calls} và promise reject với ${p.error}${p.from}`,
  errorOfCallSuffix: (call) => ` — error của lần gọi ${call}`,

  noCalls: 'runner không ghi nhận được lời gọi nào',
  nothingRan: (why) => `${why}.`,

  firstSuccessOk: (p) => `fn thất bại ${p.failed}, thành công ở lần gọi ${p.n}: promise đã resolve với giá trị đó và fn không bị gọi lại`,
  firstSuccessHead: (p) => `fn thất bại ở ${p.calls} và thành công từ lần gọi ${p.n} trở đi (maxAttempts ${p.max}); ở ${p.clients}, ${p.outcome}.`,
  calledAgain: (head) => `${head} Một lần gọi đã thành công là xong việc: hãy trả về kết quả của nó ngay thay vì gọi fn thêm.`,
  resolveExactly: (head) => `${head} Hãy resolve với đúng giá trị mà lần gọi thành công đã trả về.`,
  retryUntilSuccess: (head) => `${head} Hãy retry các lần gọi thất bại cho tới khi có một lần thành công (hoặc hết lượt thử), rồi trả về kết quả của nó.`,

  maxAttemptsOk: (maxes) => `mọi client đều gọi fn đúng maxAttempts (${maxes.join(' và ')}) lần, rồi bỏ cuộc`,
  maxHead: (p) => `mọi lần gọi đều thất bại và maxAttempts là ${p.max}; ở ${p.clients}, ${p.outcome}.`,
  tooManyCalls: (p) => `${p.head} maxAttempts đếm mọi lần gọi fn, kể cả lần đầu: ${p.max} lần thử là 1 lần gọi cộng ${p.retries} lần retry.`,
  stopAfterMax: (head) => `${head} Hãy dừng sau maxAttempts lần gọi và throw.`,
  keepRetrying: (p) => `${p.head} Hãy tiếp tục retry cho tới khi fn được gọi đủ maxAttempts lần (các lần thử 1 đến ${p.max}).`,

  lastErrorOk: 'mọi client đều reject với đúng object error mà lần gọi cuối của nó đã throw',
  lastHead: (p) => `khi mọi lần gọi đều thất bại, ở ${p.clients}, ${p.outcome}.`,
  callFnThenThrow: (head) => `${head} Hãy gọi fn, và khi hết lượt thử thì throw error của lần gọi cuối.`,
  looksLikeSuccess: (head) => `${head} Nơi gọi không thể phân biệt điều đó với thành công: khi hết lượt thử, hãy throw error cuối cùng.`,
  notFnError: (head) =>
    `${head} Đó không phải error mà fn đã throw: hãy throw lại chính object error cuối cùng, để nơi gọi vẫn đọc được code của nó (ECONNRESET, ETIMEDOUT, …).`,
  rethrowLast: (p) => `${p.head} Hãy throw lại error của lần thử cuối (lần gọi ${p.last}): đó là tin mới nhất về service.`,
  throwLast: (head) => `${head} Khi hết lượt thử, hãy throw error cuối cùng.`,

  srHead: (p) =>
    `shouldRetry đồng ý retry error của ${p.calls} nhưng từ chối error của lần gọi ${p.n} (${p.code}); ở ${p.clients}, ${p.outcome}.`,
  srKeptGoing: (head) => `${head} Khi shouldRetry trả về false, hãy throw error đó ngay: thử thêm cũng không giúp được gì.`,
  srRetryWhileYes: (head) => `${head} Hãy retry chừng nào shouldRetry còn trả lời có.`,
  srAsk: (head) => `${head} Hãy hỏi shouldRetry(err, attempt) sau mỗi lần thất bại; khi nó trả lời không, hãy throw error đó.`,
  srSlept: (p) =>
    `shouldRetry đã trả lời không với error của lần gọi ${p.n}, vậy mà promise reject ${p.lag} sau đó (trung vị): hãy hỏi shouldRetry trước khi sleep, và throw ngay khi nó trả lời không.`,
  srOk: (p) => `dừng sau lần gọi ${p.n} và reject với error của lần đó ${p.lag} sau (trung vị)`,

  asked: (p) => `(${p.error}, ${p.attempt})`,
  errorOfCall: (call) => `error của lần gọi ${call}`,
  notThrownByFn: 'một error không phải do fn throw',
  nobodyAsked: '—',
  srNeverCalled: (outcome) => `shouldRetry chưa hề được gọi (${outcome}). Hãy gọi shouldRetry(err, attempt) sau mỗi lần thử thất bại.`,
  srFromZero: (asked) =>
    `shouldRetry được gọi với ${asked}. Số thứ tự lần thử bắt đầu từ 1: lần gọi fn đầu tiên là lần thử 1, nên shouldRetry(err, 1) xét error của nó.`,
  srWrongArgs: (asked) => `shouldRetry được gọi với ${asked}. Hãy truyền error của lần thử vừa thất bại, cùng số thứ tự của lần thử đó (đếm từ 1).`,
  srMissing: (p) => `shouldRetry được gọi với ${p.asked}, nhưng chưa lần nào cho lần thử ${p.missing}: hãy hỏi nó sau mỗi lần thử thất bại.`,
  srCalledAs: (asked) => `shouldRetry được gọi với ${asked}`,

  noneSettled: (outcome) => `không client nào đi tới được lúc settle sau một lần gọi thất bại: ${outcome}.`,
  sleptAfterFinal: (p) =>
    `sau khi lần thử cuối thất bại, promise mất ${p.lag} (trung vị trên ${p.clients} client) mới reject: ` +
    'chờ thêm sau lần thử cuối chỉ làm tin xấu đến muộn hơn. Hãy throw ngay khi lần thử cuối thất bại.',
  finalOk: (p) => `reject ${p.lag} sau lần thất bại cuối (trung vị trên ${p.clients} client)`,

  tooFewGrow: (p) => `quá ít client retry đủ ${p.last} lần để thấy thời gian chờ tăng dần: ${p.outcome}.`,
  shape: (p) => `trung vị thời gian chờ sau các lần thử 1 đến ${p.last}: ${p.medians}`,
  noWaitAtAll: (typical) =>
    `các lần thử nối đuôi nhau mà không chờ chút nào (trung vị ${typical} giữa hai lần thử): đó là một cơn bão retry. ` +
    'Hãy sleep giữa các lần thử — và await lần sleep đó.',
  growTooSlow: (p) =>
    `thời gian chờ tăng quá chậm (${p.shape}). Gấp đôi từ baseDelayMs ${p.base} ms thì lần chờ trước lần thử ${p.next} ` +
    `đã lên tới ${p.nominal} ms, vậy mà 90% client chờ chưa tới ${p.late} ở đó. ` +
    'Hãy tăng delay theo lũy thừa: baseDelayMs × 2^(attempt − 1), chặn trên ở maxDelayMs.',
  noGrowth: (p) =>
    `thời gian chờ không tăng (${p.shape}): lần chờ trước lần thử ${p.next} chỉ dài hơn lần đầu một chút. ` +
    'Hãy bắt đầu từ baseDelayMs và gấp đôi delay sau mỗi lần thử thất bại.',

  tooFewCap: (p) => `quá ít client retry đủ ${p.step} lần để thấy mức trần: ${p.outcome}.`,
  pastCap: (p) =>
    `với baseDelayMs ${p.base} và maxDelayMs ${p.max}, ${p.shape}: delay cứ gấp đôi vượt quá mức trần. ` +
    'Hãy chặn nó lại: Math.min(maxDelayMs, baseDelayMs × 2^(attempt − 1)) — một sự cố kéo dài không được bắt client chờ mãi.',
  capOk: (p) => `maxDelayMs ${p.max}: ${p.shape}`,

  tooFewSpread: (outcome) => `quá ít client retry đủ 5 lần để thấy thời gian chờ của chúng tản ra thế nào: ${outcome}.`,
  nothingToRandomise: (p) =>
    `trước lần thử ${p.next}, các client chờ ${p.middle} (nửa ở giữa): không có lần chờ nào để ngẫu nhiên hóa. ` +
    'Hãy sleep một phần ngẫu nhiên của delay backoff giữa các lần thử — và await lần sleep đó.',
  lockstep: (p) =>
    `${p.clients} client thất bại cùng một lúc đã retry đồng loạt theo cùng một nhịp: trước lần thử ${p.next}, ` +
    `nửa ở giữa của chúng chờ ${p.middle}. Mọi client cùng ập vào service đang hồi phục trong cùng một khoảnh khắc — ` +
    'hãy ngẫu nhiên hóa từng delay (jitter), ví dụ chờ một khoảng ngẫu nhiên từ 0 đến delay backoff.',
  spreadOk: (p) => `trước lần thử ${p.next}, nửa ở giữa của ${p.count} client chờ ${p.middle}`,

  wireHead: (p) => `router từ chối ${p.refusals} kết nối đầu tiên tới port ${p.port} bằng TCP reset, rồi mới cho đi qua; ${p.outcome}`,
  keptRetrying: (p) => `${p.head}, và peer đã accept ${p.accepts} kết nối. Hãy ngừng retry khi fn thành công, và trả về đúng cái nó trả về.`,
  retryRefused: (head) => `${head}. Hãy retry các kết nối bị từ chối (ECONNREFUSED) có backoff cho tới khi một kết nối thông, rồi trả về kết nối đó.`,
  wrongCounts: (p) => `${p.head}, nhưng router thấy ${p.syns} SYN và peer accept ${p.accepts} kết nối (cần ${p.expected} và 1).`,
  realPeerOk: (p) => `mọi client đều thông ở lần thử ${p.attempt}, sau ${p.refusals} lần bị từ chối: mỗi port accept đúng một kết nối`,

  noSecond: 'không client nào thử kết nối lần thứ hai.',
  noSecondBecause: (outcome) => `không client nào thử kết nối lần thứ hai (${outcome}).`,
  burst: (p) =>
    `router từ chối kết nối bằng TCP reset, và mỗi client thử lại sau khi chờ tổng cộng ${p.waited} ` +
    `(trung bình trên ${p.clients} client, tính từ mỗi lần bị từ chối tới SYN kế tiếp): một loạt kết nối dồn dập vào service đang từ chối. ` +
    `Với baseDelayMs ${p.base}, các lần chờ phải cộng lại khoảng ${p.expected} trước khi có jitter. ` +
    'Hãy chờ giữa các lần thử — và await lần chờ đó.',
  onTheWire: 'đo trên đường truyền',
  onTheWireLagged: (clients) => `đo trên đường truyền (với ${clients} client, trace của router bị trễ nên các lần gọi của chúng được đo thay)`,
  spacedOk: (p) => `các lần chờ cộng lại ${p.waited} mỗi client (trung bình); khoảng cách giữa các SYN ${p.source}, trung vị theo từng lần retry: ${p.gaps}`,
};

export const m = catalogue(en, vi);

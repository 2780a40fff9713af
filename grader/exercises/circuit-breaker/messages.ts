/** circuit-breaker's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'A circuit breaker: closed, open, half-open',
  part: 'Part 10 — Circuit breaker',

  // Scenarios
  scLifecycle: (p: { th: number; cd: number }) =>
    `a breaker (failureThreshold ${p.th}, cooldownMs ${p.cd}) through closed, open, half-open and back, on real connections`,

  // Check titles
  tClosedPasses: 'closed: call() passes fn’s result and fn’s error through unchanged',
  tOpensAtThreshold: 'failureThreshold consecutive failures open the breaker — not one sooner, not one later',
  tSuccessResets: 'a success while closed resets the failure count',
  tOpenRejectsFast: 'open: call() rejects at once, without invoking fn (no SYN reaches the router)',
  tOpenErrorReadsOpen: 'open: the rejection reads as an open circuit (EOPENBREAKER, or "circuit"/"open" in its name or message)',
  tNoProbeBeforeCooldown: 'no call reaches fn before cooldownMs has passed since the breaker opened',
  tProbeAfterCooldown: 'after cooldownMs, the next call is a probe: fn is invoked once',
  tOneProbe: 'half-open: calls made while the probe is in flight do not reach fn before it settles',
  tFailedProbeReopens: 'a failed probe opens the breaker again, for another cooldownMs',
  tProbesAgain: 'after the new cooldownMs, a second probe is let through',
  tProbeSuccessCloses: 'a successful probe closes the breaker, counting failures from zero',

  // Why the run told us nothing
  noCallMethod: 'createBreaker returned no object with a call() method',
  createThrew: (error: string) => `createBreaker threw ${error}`,
  runDidNotFinish: 'the run did not finish',
  runnerNoCalls: 'the runner reported no calls',
  runDidNotStart: 'the run did not start',
  noCallRecorded: (why: string) => `no call was recorded: ${why}.`,

  // What one call did
  callNeverMade: 'the call was never made',
  tookAfter: (elapsed: string) => ` after ${elapsed}`,
  fnInvoked: 'fn was invoked',
  fnNotInvoked: 'fn was not invoked',
  outThrew: (p: { error: string; fn: string }) => `call() threw ${p.error} synchronously (${p.fn})`,
  outPending: (p: { later: string; fn: string }) => `the call was still pending ${p.later} later (${p.fn})`,
  outResolved: (p: { took: string; how: string; fn: string }) => `it resolved${p.took}${p.how} (${p.fn})`,
  withFnValue: " with fn's own value",
  withNotFnValue: ' with something fn did not return',
  outRejected: (p: { took: string; error: string; own: string; fn: string }) => `it rejected${p.took} with ${p.error}${p.own} (${p.fn})`,
  fnOwnError: " (fn's own error)",
  fnReached: (p: { syns: number; port: number; outcome: string }) =>
    `fn was invoked: ${p.syns} SYN(s) crossed the router to port ${p.port}, and ${p.outcome}`,

  // Calls before the cooldown's end
  afterOpened: 'after the breaker opened',
  afterProbeFailed: 'after the probe failed',
  neverReachedPoint: (what: string) => `the run never reached the point ${what}.`,
  tooBusy: (p: { cd: string; what: string }) => `the machine was too busy: no call could be made before cooldownMs (${p.cd}) had passed ${p.what}.`,
  earlyReached: (p: { at: string; what: string; cd: string; why: string }) => `${p.at} ${p.what} (cooldownMs ${p.cd}): ${p.why}.`,
  earlyOk: (p: { times: string[]; what: string }) => `calls ${p.times.join(' and ')} ${p.what} were rejected without a SYN`,

  // Gates
  probe1Wrong: (outcome: string) => `the first probe did not go as it should (${outcome})`,
  probe2Wrong: (outcome: string) => `the second probe did not go as it should (${outcome})`,
  gateOpened: 'the breaker did not stay open until cooldownMs had passed (see “no call reaches fn before cooldownMs”)',
  gateReopened: 'the breaker did not stay open for a new cooldownMs after the failed probe (see “a failed probe opens the breaker again”)',
  notJudged: (why: string) => `not judged: ${why}, so this later step ran with the breaker in a state nobody can predict. Fix that first.`,

  // closed-passes-through
  healthyBut: (outcome: string) =>
    `a healthy dependency (the peer answered at once): ${outcome}. While closed, call() must invoke fn and resolve with exactly the value fn resolved with.`,
  refusedHead: (p: { n: number; th: number; outcome: string }) =>
    `the router refused the connection (ECONNREFUSED) ${p.n} time(s) in a row, fewer than failureThreshold ${p.th}: ${p.outcome}.`,
  rethrowSame: (head: string) =>
    `${head} While closed, rethrow the very error fn rejected with — callers read its code (ECONNREFUSED) to decide what to do; do not wrap or replace it.`,
  passFailure: (head: string) => `${head} While closed, call() invokes fn and rejects with fn’s own error.`,
  closedOk: (p: { oks: number; fails: number }) =>
    `${p.oks} successes resolved with fn’s own value and ${p.fails} refusal(s) rejected with fn’s own ECONNREFUSED error`,

  // opens-at-threshold
  streakNotPassed: (p: { th: number; reached: number; outcome: string }) =>
    `after a success, ${p.th} refused connections in a row (failureThreshold ${p.th}): only ${p.reached} of them reached fn, and the ${p.th}th: ${p.outcome}. ` +
    `The breaker must stay closed until the ${p.th}th consecutive failure, and pass that failure through; it opens after it.`,
  callAfterStreakNeverMade: 'the call after the streak was never made.',
  didNotOpen: (p: { th: number; why: string }) =>
    `after ${p.th} consecutive failures (failureThreshold ${p.th}), the next call: ${p.why}. The ${p.th}th failure in a row must open the breaker: count consecutive failures and open when the count reaches failureThreshold.`,
  opensOk: (th: number) => `${th} refusals in a row reached fn, and the next call was rejected without a SYN`,

  // success-resets-count
  successBlocked: (p: { n: number; outcome: string }) => `the success after ${p.n} failure(s) did not go through: ${p.outcome}.`,
  countNotReset: (p: { n: number; i: number; outcome: string }) =>
    `${p.n} failure(s), a success, then failure ${p.i} of a new streak: ${p.outcome}. ` +
    `Only consecutive failures count: set the count back to zero on every success.`,
  resetOk: (p: { before: number; after: number }) => `${p.before} failure(s), a success, then ${p.after} more failure(s) all reached fn`,

  // open-rejects-fast
  noOpenCall: 'no call was made while the breaker should have been open.',
  openCalledFn: (p: { th: number; i: number; why: string; syns: number; port: number }) =>
    `just after ${p.th} consecutive failures, call ${p.i}: ${p.why}. ` +
    `An open breaker protects the dependency: reject without calling fn at all (${p.syns} SYN(s) in all reached port ${p.port}).`,
  openSlow: (elapsed: string) =>
    `while open, a call rejected only after ${elapsed}: reject at once (a failing fast is the point of the breaker), do not wait.`,
  openFastOk: (p: { n: number; worst: string }) => `${p.n} calls rejected within ${p.worst}, no SYN reached the router`,

  // open-error-reads-open
  noOpenRejection: (outcome: string) => `no call was rejected while the breaker should have been open (${outcome}).`,
  openErrorWrong: (p: { error: string; earlier: string }) =>
    `while open, a call rejected with ${p.error}${p.earlier}. Callers must tell "the breaker refused" from "the dependency failed": ` +
    `reject with an error of its own, with code 'EOPENBREAKER' or a name or message that says the circuit is open.`,
  fnThrewEarlier: ' — an error fn had thrown earlier',
  openErrorOk: (error: string) => `rejected with ${error}`,

  // no-probe-before-cooldown
  cooldownFromOpening: (verdict: string) =>
    `${verdict} The cooldown is counted from the moment the breaker opened (not from the first failure of the streak): ` +
    `until cooldownMs has passed, reject every call without invoking fn.`,

  // probe-after-cooldown
  noHalfOpen: 'the run never reached the half-open step.',
  noProbe: (p: { after: string; cd: string; outcome: string }) =>
    `a call ${p.after} after the breaker opened (cooldownMs ${p.cd}): ${p.outcome}; no connection reached the peer. ` +
    `Once cooldownMs has passed since the opening, the next call must try fn once (half-open) — a breaker that never lets a probe through never recovers. ` +
    `Count the cooldown from the opening, not from the last rejected call.`,
  probeNotFnError: (outcome: string) => `the probe reached the peer, which reset it after a while: ${outcome}. A failed probe rejects with fn’s error.`,
  probeOk: (p: { after: string; error: string }) => `a call ${p.after} after the opening reached the peer, and rejected with fn’s own error (${p.error})`,

  // one-probe-at-a-time
  probeCrowded: (p: { answeredAfter: string; during: number; accepted: number; syns: number }) =>
    `while the probe was in flight (the peer answered it ${p.answeredAfter} after accepting), ${p.during} more call(s) were made and the peer accepted ` +
    `${p.accepted} connections in all (${p.syns} SYN(s) on the router): half-open lets exactly one call through. ` +
    `Mark the probe as in flight, and reject the others at once (or make them wait for its outcome).`,
  afterFailedProbe: (n: number) => `the probe failed, yet ${n} more call(s) reached the peer afterwards: a failed probe opens the breaker again.`,
  noProbeReached: (outcome: string) => `no probe reached the peer (${outcome}), so there was no half-open state to judge.`,
  oneAtATimeOk: (n: number) => `during ${n} probe(s), one connection at a time reached the peer`,

  // failed-probe-reopens
  reopenFresh: (verdict: string) =>
    `${verdict} A failed probe means the dependency is still down: open again and start a new cooldownMs from that moment.`,

  // probes-again-after-new-cooldown
  noSecondHalfOpen: 'the run never reached the second half-open step.',
  secondProbeWrong: (p: { after: string; cd: string; outcome: string }) =>
    `a call ${p.after} after the failed probe (cooldownMs ${p.cd}): ${p.outcome}. ` +
    `After the new cooldown, let one call through again; when it succeeds, resolve with fn’s value.`,
  secondProbeOk: (after: string) => `a call ${after} after the failed probe reached the peer and resolved with fn’s value`,

  // probe-success-closes
  probe2Failed: (outcome: string) => `the second probe did not succeed through fn (${outcome}), so the breaker had no reason to close.`,
  stepSuccessAfter: (n: number) => `the success after ${n} failure(s)`,
  stepFailure: (p: { i: number; n: number }) => `failure ${p.i} of ${p.n}`,
  notFromZero: (p: { step: string; outcome: string; n: number; th: number }) =>
    `after the successful probe, ${p.step}: ${p.outcome}. ` +
    `A successful probe closes the breaker with a count of zero: the next ${p.n} failure(s) (fewer than failureThreshold ${p.th}) must reach fn.`,
  closesOk: (n: number) => `after the successful probe, ${n} failure(s) and a success all reached fn`,
};

const vi: typeof en = {
  title: 'Circuit breaker: đóng, mở, nửa-mở',
  part: 'Phần 10 — Circuit breaker',

  scLifecycle: (p) =>
    `một breaker (failureThreshold ${p.th}, cooldownMs ${p.cd}) đi qua các trạng thái đóng, mở, nửa-mở rồi đóng lại, trên các kết nối thật`,

  tClosedPasses: 'khi đóng: call() trả về nguyên kết quả và nguyên lỗi của fn, không đổi gì',
  tOpensAtThreshold: 'failureThreshold lỗi liên tiếp thì breaker mở — không sớm hơn một lần, không muộn hơn một lần',
  tSuccessResets: 'một lần thành công khi đang đóng đưa bộ đếm lỗi về không',
  tOpenRejectsFast: 'khi mở: call() reject ngay, không gọi fn (không SYN nào tới router)',
  tOpenErrorReadsOpen: 'khi mở: lỗi reject cho biết mạch đang mở (EOPENBREAKER, hoặc "circuit"/"open" trong name hay message)',
  tNoProbeBeforeCooldown: 'không lời gọi nào tới fn trước khi qua cooldownMs kể từ lúc breaker mở',
  tProbeAfterCooldown: 'sau cooldownMs, lời gọi kế tiếp là probe: fn được gọi một lần',
  tOneProbe: 'khi nửa-mở: các lời gọi đến trong lúc probe còn đang chạy không tới fn trước khi probe xong',
  tFailedProbeReopens: 'probe thất bại thì breaker mở lại, thêm một cooldownMs nữa',
  tProbesAgain: 'hết cooldownMs mới, probe thứ hai được cho đi qua',
  tProbeSuccessCloses: 'probe thành công thì breaker đóng lại, đếm lỗi lại từ không',

  noCallMethod: 'createBreaker không trả về object nào có method call()',
  createThrew: (error) => `createBreaker throw ${error}`,
  runDidNotFinish: 'lần chạy không đi tới cuối',
  runnerNoCalls: 'runner không báo lại lời gọi nào',
  runDidNotStart: 'lần chạy chưa hề bắt đầu',
  noCallRecorded: (why) => `không ghi nhận được lời gọi nào: ${why}.`,

  callNeverMade: 'lời gọi chưa hề được thực hiện',
  tookAfter: (elapsed) => ` sau ${elapsed}`,
  fnInvoked: 'fn đã được gọi',
  fnNotInvoked: 'fn không được gọi',
  outThrew: (p) => `call() throw đồng bộ ${p.error} (${p.fn})`,
  outPending: (p) => `lời gọi vẫn còn pending sau ${p.later} (${p.fn})`,
  outResolved: (p) => `lời gọi resolve${p.took}${p.how} (${p.fn})`,
  withFnValue: ' với chính giá trị của fn',
  withNotFnValue: ' với một thứ mà fn không hề trả về',
  outRejected: (p) => `lời gọi reject${p.took} với ${p.error}${p.own} (${p.fn})`,
  fnOwnError: ' (chính lỗi của fn)',
  fnReached: (p) => `fn đã được gọi: ${p.syns} SYN đã đi qua router tới port ${p.port}, và ${p.outcome}`,

  afterOpened: 'sau khi breaker mở',
  afterProbeFailed: 'sau khi probe thất bại',
  neverReachedPoint: (what) => `lần chạy không bao giờ tới được thời điểm ${what}.`,
  tooBusy: (p) => `máy quá bận: không kịp thực hiện lời gọi nào trước khi qua cooldownMs (${p.cd}) ${p.what}.`,
  earlyReached: (p) => `${p.at} ${p.what} (cooldownMs ${p.cd}): ${p.why}.`,
  earlyOk: (p) => `các lời gọi ở ${p.times.join(' và ')} ${p.what} đều bị reject mà không có SYN nào`,

  probe1Wrong: (outcome) => `probe đầu tiên không diễn ra như lẽ ra phải thế (${outcome})`,
  probe2Wrong: (outcome) => `probe thứ hai không diễn ra như lẽ ra phải thế (${outcome})`,
  gateOpened: 'breaker đã không giữ trạng thái mở cho tới khi qua cooldownMs (xem “không lời gọi nào tới fn trước khi qua cooldownMs”)',
  gateReopened: 'breaker đã không mở lại thêm một cooldownMs mới sau probe thất bại (xem “probe thất bại thì breaker mở lại”)',
  notJudged: (why) =>
    `không chấm: ${why}, nên bước sau này chạy khi breaker đang ở một trạng thái không ai đoán trước được. Hãy sửa lỗi đó trước.`,

  healthyBut: (outcome) =>
    `dependency khỏe mạnh (peer trả lời ngay): ${outcome}. Khi đang đóng, call() phải gọi fn và resolve với đúng giá trị mà fn đã resolve.`,
  refusedHead: (p) => `router từ chối kết nối (ECONNREFUSED) ${p.n} lần liên tiếp, ít hơn failureThreshold ${p.th}: ${p.outcome}.`,
  rethrowSame: (head) =>
    `${head} Khi đang đóng, hãy throw lại đúng object lỗi mà fn đã reject — caller đọc code của nó (ECONNREFUSED) để quyết định làm gì tiếp; đừng bọc hay thay nó bằng lỗi khác.`,
  passFailure: (head) => `${head} Khi đang đóng, call() gọi fn và reject với chính lỗi của fn.`,
  closedOk: (p) =>
    `${p.oks} lần thành công đã resolve với chính giá trị của fn và ${p.fails} lần bị từ chối đã reject với chính lỗi ECONNREFUSED của fn`,

  streakNotPassed: (p) =>
    `sau một lần thành công, ${p.th} kết nối liên tiếp bị từ chối (failureThreshold ${p.th}): chỉ ${p.reached} lần trong số đó tới được fn, còn lần thứ ${p.th}: ${p.outcome}. ` +
    `Breaker phải giữ trạng thái đóng cho tới lỗi liên tiếp thứ ${p.th}, và trả nguyên lỗi đó cho caller; nó chỉ mở sau lỗi đó.`,
  callAfterStreakNeverMade: 'lời gọi sau chuỗi lỗi chưa hề được thực hiện.',
  didNotOpen: (p) =>
    `sau ${p.th} lỗi liên tiếp (failureThreshold ${p.th}), lời gọi kế tiếp: ${p.why}. Lỗi liên tiếp thứ ${p.th} phải làm breaker mở: hãy đếm số lỗi liên tiếp và mở breaker khi bộ đếm chạm failureThreshold.`,
  opensOk: (th) => `${th} lần liên tiếp bị từ chối đều tới được fn, và lời gọi kế tiếp bị reject mà không có SYN nào`,

  successBlocked: (p) => `lần thành công sau ${p.n} lỗi đã không đi qua được: ${p.outcome}.`,
  countNotReset: (p) =>
    `${p.n} lỗi, một lần thành công, rồi lỗi thứ ${p.i} của một chuỗi mới: ${p.outcome}. ` +
    `Chỉ lỗi liên tiếp mới được đếm: hãy đưa bộ đếm về không sau mỗi lần thành công.`,
  resetOk: (p) => `${p.before} lỗi, một lần thành công, rồi thêm ${p.after} lỗi nữa đều tới được fn`,

  noOpenCall: 'không có lời gọi nào được thực hiện trong lúc breaker lẽ ra đang mở.',
  openCalledFn: (p) =>
    `ngay sau ${p.th} lỗi liên tiếp, lời gọi thứ ${p.i}: ${p.why}. ` +
    `Breaker mở là để bảo vệ dependency: hãy reject mà không gọi fn chút nào (tổng cộng ${p.syns} SYN đã tới port ${p.port}).`,
  openSlow: (elapsed) =>
    `khi đang mở, có một lời gọi đến ${elapsed} sau mới reject: hãy reject ngay (fail nhanh chính là mục đích của breaker), đừng chờ.`,
  openFastOk: (p) => `${p.n} lời gọi đều reject trong vòng ${p.worst}, không SYN nào tới router`,

  noOpenRejection: (outcome) => `không lời gọi nào bị reject trong lúc breaker lẽ ra đang mở (${outcome}).`,
  openErrorWrong: (p) =>
    `khi đang mở, một lời gọi reject với ${p.error}${p.earlier}. Caller phải phân biệt được "breaker từ chối" với "dependency bị lỗi": ` +
    `hãy reject bằng một lỗi của riêng breaker, có code 'EOPENBREAKER' hoặc name hay message nói rõ mạch đang mở.`,
  fnThrewEarlier: ' — một lỗi mà fn đã throw từ trước',
  openErrorOk: (error) => `reject với ${error}`,

  cooldownFromOpening: (verdict) =>
    `${verdict} Cooldown được tính từ lúc breaker mở (không phải từ lỗi đầu tiên của chuỗi): ` +
    `chừng nào chưa qua cooldownMs, hãy reject mọi lời gọi mà không gọi fn.`,

  noHalfOpen: 'lần chạy không bao giờ tới được bước nửa-mở.',
  noProbe: (p) =>
    `một lời gọi ${p.after} sau khi breaker mở (cooldownMs ${p.cd}): ${p.outcome}; không kết nối nào tới được peer. ` +
    `Khi đã qua cooldownMs kể từ lúc mở, lời gọi kế tiếp phải thử fn một lần (nửa-mở) — breaker không bao giờ cho probe đi qua thì không bao giờ hồi phục được. ` +
    `Hãy tính cooldown từ lúc mở, không phải từ lời gọi bị reject gần nhất.`,
  probeNotFnError: (outcome) => `probe đã tới được peer, và peer reset nó sau một lúc: ${outcome}. Probe thất bại thì reject với lỗi của fn.`,
  probeOk: (p) => `một lời gọi ${p.after} sau lúc mở đã tới được peer, và reject với chính lỗi của fn (${p.error})`,

  probeCrowded: (p) =>
    `trong lúc probe còn đang chạy (peer trả lời nó ${p.answeredAfter} sau khi accept), có thêm ${p.during} lời gọi nữa và peer đã accept ` +
    `tổng cộng ${p.accepted} kết nối (${p.syns} SYN trên router): nửa-mở chỉ cho đúng một lời gọi đi qua. ` +
    `Hãy đánh dấu là probe đang chạy, và reject ngay các lời gọi khác (hoặc cho chúng chờ kết quả của probe).`,
  afterFailedProbe: (n) => `probe đã thất bại, vậy mà sau đó vẫn có thêm ${n} lời gọi tới được peer: probe thất bại thì breaker phải mở lại.`,
  noProbeReached: (outcome) => `không probe nào tới được peer (${outcome}), nên không có trạng thái nửa-mở nào để chấm.`,
  oneAtATimeOk: (n) => `trong ${n} probe, mỗi lúc chỉ có một kết nối tới peer`,

  reopenFresh: (verdict) =>
    `${verdict} Probe thất bại nghĩa là dependency vẫn còn sập: hãy mở breaker lại và bắt đầu một cooldownMs mới tính từ lúc đó.`,

  noSecondHalfOpen: 'lần chạy không bao giờ tới được bước nửa-mở thứ hai.',
  secondProbeWrong: (p) =>
    `một lời gọi ${p.after} sau probe thất bại (cooldownMs ${p.cd}): ${p.outcome}. ` +
    `Hết cooldown mới, hãy lại cho một lời gọi đi qua; khi nó thành công thì resolve với giá trị của fn.`,
  secondProbeOk: (after) => `một lời gọi ${after} sau probe thất bại đã tới được peer và resolve với giá trị của fn`,

  probe2Failed: (outcome) => `probe thứ hai không thành công qua fn (${outcome}), nên breaker không có lý do gì để đóng lại.`,
  stepSuccessAfter: (n) => `lần thành công sau ${n} lỗi`,
  stepFailure: (p) => `lỗi thứ ${p.i} trong ${p.n} lỗi`,
  notFromZero: (p) =>
    `sau probe thành công, ${p.step}: ${p.outcome}. ` +
    `Probe thành công thì breaker đóng lại với bộ đếm bằng không: ${p.n} lỗi kế tiếp (ít hơn failureThreshold ${p.th}) phải tới được fn.`,
  closesOk: (n) => `sau probe thành công, ${n} lỗi và một lần thành công đều tới được fn`,
};

export const m = catalogue(en, vi);

/**
 * The CLI's words, in English and Vietnamese: one catalogue per language,
 * messages with parameters. `vi` has the type of `en`, so a message that
 * exists in one language only does not compile (and test/messages.test.ts
 * says which). Vietnamese keeps the technical words the course keeps in
 * English (timeout, retry, socket, driver, lab, hint…).
 */
import type { Lang } from './hints.ts';

const options = (formats: string) => ({
  en: `Options:
  --file PATH        grade this file instead (.ts .mts .js .mjs; Node built-ins only)
  --solution         grade the reference solution (with --all: every reference)
  --json             print one JSON object on stdout (with --all:
                     {"exercises": [...], "score", "maxScore", "passed"})
  --format F         also report as F: ${formats}.
                     Repeatable; alone and without --out, F goes to stdout instead of the report
  --out DIR          write each --format to its file in DIR (tap: results.tap, junit: junit.xml,
                     classroom: classroom.json, markdown: summary.md, json: grade.json;
                     gradescope, exercism, prairielearn: results.json, or <format>/results.json
                     when several of them are asked)
  --driver NAME      lab driver: netns or docker (default: the first this machine supports)
  --seed N           repeat the draws of an earlier run (its report prints the seed)
  --watch            stay and grade again on every save (--poll: poll the files instead of
                     file events, e.g. on Docker Desktop's shared folders)
  --lang en|vi       the language of hints, progress and messages (default: NETPROG_LANG, then the locale)
  --no-color         plain output
  -h, --help         this text`,
  vi: `Tùy chọn:
  --file PATH        chấm file này thay cho file mặc định (.ts .mts .js .mjs; chỉ Node built-in)
  --solution         chấm lời giải mẫu (với --all: mọi lời giải mẫu)
  --json             in ra stdout đúng một object JSON (với --all:
                     {"exercises": [...], "score", "maxScore", "passed"})
  --format F         báo cáo thêm theo định dạng F: ${formats}.
                     Lặp lại được; nếu chỉ có một và không có --out, F ra stdout thay cho báo cáo
  --out DIR          ghi mỗi --format vào file của nó trong DIR (tap: results.tap, junit: junit.xml,
                     classroom: classroom.json, markdown: summary.md, json: grade.json;
                     gradescope, exercism, prairielearn: results.json, hoặc <format>/results.json
                     khi yêu cầu nhiều định dạng trong số đó)
  --driver NAME      driver của lab: netns hoặc docker (mặc định: cái đầu tiên máy này chạy được)
  --seed N           lặp lại các giá trị ngẫu nhiên của một lần chạy trước (báo cáo có in seed)
  --watch            ở lại và chấm lại mỗi lần bạn lưu file (--poll: dò file định kỳ thay cho
                     event của file, ví dụ trên thư mục chia sẻ của Docker Desktop)
  --lang en|vi       ngôn ngữ của gợi ý, tiến độ và thông báo (mặc định: NETPROG_LANG, rồi locale)
  --no-color         không tô màu
  -h, --help         trang này`,
});

const en = {
  usage: (formats: string) => `Usage:
  grade [--list]                         your progress: every exercise, done, in progress or not
  grade <exercise> [options]             grade exercises/<exercise>/index.ts
  grade --all [options]                  grade every exercise, in course order
  grade <exercise> --watch               grade, then grade again each time you save
                                         (keys: r grade again, h next hint, q quit)
  grade hint <exercise> [--level N]      hints, level 1 to 3: where to look in the course,
                                         which API, the shape of the fix
  grade doctor                           show what this machine can run
  grade pack learner|classroom|gradescope <dir|file.zip> [--exercises a,b]
                                         hand exercises out (grade pack --help)

${options(formats).en}

In GitHub Actions (GITHUB_ACTIONS=true) a grade also appends the markdown summary to
$GITHUB_STEP_SUMMARY and annotates your file with the checks that did not pass.

Exit status:
  0    every check passes
  1    some check fails, or your file does not compile
  2    a usage or environment error, or the grader itself failed (not a verdict
       on your code); with --json, stdout then holds {"error": "...", "exercise": "<id>"}
  130  interrupted (Ctrl-C)`,
  unknownExercise: (name: string, near: string[]) =>
    `unknown exercise "${name}".` + (near.length ? ` Did you mean: ${near.join(', ')}?` : '') + ' Run `grade --list` to see them all.',
  unknownFormat: (name: string, all: string[], near: string[]) =>
    `unknown format "${name}": use one of ${all.join(', ')}` + (near.length ? ` (did you mean ${near.join(', ')}?)` : ''),
  jsonNeedsOut: (formats: string[]) => `--json prints on stdout: give --out DIR for --format ${formats.join(', ')}`,
  oneFormatOnStdout: (formats: string[]) => `only one format can go to stdout: give --out DIR for ${formats.join(', ')}`,
  outNeedsFormat: '--out DIR is where --format writes: name at least one --format',
  outNotFolder: (out: string) => `--out ${out}: not a folder`,
  outCannotMake: (dir: string, why: string) => `--out: cannot make ${dir}: ${why}`,
  noSuchFile: (file: string) => `no such file: ${file}`,
  badExtension: (file: string) => `${file}: expected a .ts, .mts, .js or .mjs file`,
  badLang: (all: readonly string[], got: string) => `--lang takes one of ${all.join(', ')}, not "${got}"`,
  levelWithoutHint: '--level goes with `grade hint <exercise>`',
  oneExercise: (got: string[]) => `one exercise at a time (got ${got.join(', ')}); --all grades every exercise`,
  allTakesNone: (name: string) => `--all grades every exercise: name none (got ${name})`,
  formatNeedsGrade: '--format and --out report a grade: name an exercise, or --all',
  fileWithAll: '--file and --all do not go together: --all grades exercises/<id>/index.ts (or, with --solution, the references)',
  fileWithSolution: '--file and --solution do not go together',
  watchOne: '--watch follows one exercise: name it instead of --all',
  watchHuman: '--watch prints the report for you to read: it does not go with --json, --format or --out',
  watchSolution: '--watch grades your file as you edit it: it does not go with --solution',
  pollWithoutWatch: '--poll goes with --watch',
  unknownDriver: (name: string, all: readonly string[]) => `unknown driver "${name}": use one of ${all.join(', ')}`,
  badSeed: (max: number, got: string) => `--seed takes a whole number from 1 to ${max} (the one a report printed), not "${got}"`,
  hintOneExercise: 'name one exercise: grade hint <exercise> [--level 1|2|3]',
  badLevel: (max: number, got: string) => `--level takes a whole number from 1 to ${max}, not "${got}"`,
  cannotGrade: 'Cannot grade on this machine:',
  interrupted: (sig: string) => `${sig}: removing the labs…`,
  waitingForLab: (detail: string) => `waiting for a lab: ${detail}`,
  elapsed: (clock: string) => `(${clock} elapsed)`,
  scoreIn: (score: string, seconds: string) => `${score} in ${seconds} s`,
  notSaved: (why: string) => `your score could not be saved: ${why}`,
  notRemoved: (why: string) => `could not remove every lab: ${why}`,
  notVerdict: 'this is a failure of the grader or of this machine, not a verdict on your code (exit 2).',
  labNotSetUp: (scenario: string, why: string) => `the lab could not be set up (scenario ${scenario}): ${why}`,
  summaryNotWritten: (why: string) => `could not append to $GITHUB_STEP_SUMMARY: ${why}`,
  watch: {
    grading: (file: string) => `Grading ${file} …`,
    change: (now: string, before: string) => `Before this grade: ${before} → now ${now}`,
    compileError: 'Your file does not compile: fix it and save, and it is graded again.',
    keys: (dir: string) => `Watching ${dir} — save to grade again · r grade again · h next hint · q quit`,
    bye: 'Stopped watching.',
  },
  hint: {
    title: (level: number, count: number, id: string, title: string) => `Hint ${level} of ${count} — ${id}: ${title}`,
    nextCommand: (id: string, level: number) => `Next hint: npx grade hint ${id} --level ${level}`,
    nextKey: 'Next hint: press h',
    last: 'That was the last hint. The README says what is graded.',
    none: 'No hints for this exercise yet.',
  },
  progress: {
    head: 'Your progress in the course',
    done: (n: number, of: number) => `${n} of ${of} exercises done`,
    points: (pct: number) => `${pct}% of all points (best scores)`,
    best: (b: string, l: string) => `best ${b} · last ${l}`,
    notStarted: 'not started',
    next: (id: string) => `Next: npx grade ${id}   (npx grade hint ${id} for a hint, --watch to grade on every save)`,
    all: 'Every exercise passes. Well done.',
  },
  packed: {
    none: 'none',
    notHere: (name: string, holds: string) => `exercise "${name}" is not part of this repository: it holds ${holds} (\`grade --list\`).`,
    noSolutions: (kind: string) =>
      `this repository has no reference solutions: it was made for learners by \`grade pack ${kind}\`, which leaves solutions/ out. ` +
      'Grade your own file: `grade <exercise>`.',
    noSolutionFor: (ids: string, file: string) => `there is no reference solution here for ${ids} (no ${file}).`,
  },
  report: {
    driver: (driver: string, seconds: string) => `driver ${driver}, ${seconds} s`,
    notCompiled: 'Your file does not compile, so nothing was run:',
    seed: (seed: number, id: string) => `seed ${seed} — \`grade ${id} --seed ${seed}\` repeats this run's draws`,
    score: (total: string) => `Score ${total}`,
    allPass: (total: string) => `Score ${total} — every check passes.`,
    everyExercise: 'Every exercise',
    columns: { exercise: 'exercise', score: 'score', checks: 'checks', time: 'time', total: 'total' },
    allExercisesPass: (total: string) => `Score ${total} — every check of every exercise passes.`,
    categories: {
      correctness: 'correctness',
      'error-handling': 'error-handling',
      timeouts: 'timeouts',
      backoff: 'backoff',
      shutdown: 'shutdown',
      resources: 'resources',
    },
  },
  notReady: {
    head: 'grade cannot build its lab on this machine yet.',
    docker: (sudo: string) =>
      `Docker runs here, but your user may not use it. Run \`sudo usermod -aG docker $USER\`, log out and in again, and grade again (or grade as root: \`${sudo}\`).`,
    sudo: (sudo: string) => `Grade as root, in network namespaces: \`${sudo}\``,
    setup: (sudo: string) => `Install the tools once, then grade as root: \`sudo bin/setup && ${sudo}\``,
    nested: 'This system may not create network namespaces (inside a container?). Grade on the host, or with Docker: `sudo bash .ci/docker-setup.sh`.',
    desktop: 'Install Docker Desktop (https://docs.docker.com/get-docker/), start it, and grade again.',
    more: '`npx grade doctor` says what this machine has and lacks.',
  },
};

export type Messages = typeof en;

const vi: Messages = {
  usage: (formats: string) => `Cách dùng:
  grade [--list]                         tiến độ của bạn: từng bài tập đã xong, đang làm hay chưa
  grade <exercise> [options]             chấm exercises/<exercise>/index.ts
  grade --all [options]                  chấm mọi bài tập, theo thứ tự của khóa học
  grade <exercise> --watch               chấm, rồi chấm lại mỗi lần bạn lưu file
                                         (phím: r chấm lại, h gợi ý tiếp, q thoát)
  grade hint <exercise> [--level N]      gợi ý, mức 1 đến 3: xem lại phần nào của khóa học,
                                         dùng API nào, hình dạng của lời giải
  grade doctor                           xem máy này chạy được gì
  grade pack learner|classroom|gradescope <dir|file.zip> [--exercises a,b]
                                         đóng gói bài tập để giao (grade pack --help)

${options(formats).vi}

Trong GitHub Actions (GITHUB_ACTIONS=true), mỗi lần chấm còn ghi thêm bản tóm tắt markdown vào
$GITHUB_STEP_SUMMARY và đánh dấu trên file của bạn những check chưa đạt.

Mã thoát:
  0    mọi check đều đạt
  1    có check chưa đạt, hoặc file của bạn không compile được
  2    lỗi cách dùng hoặc lỗi môi trường, hoặc chính grader bị lỗi (không phải đánh giá
       code của bạn); với --json, stdout khi đó chứa {"error": "...", "exercise": "<id>"}
  130  bị ngắt (Ctrl-C)`,
  unknownExercise: (name, near) =>
    `không có bài tập "${name}".` + (near.length ? ` Có phải bạn muốn: ${near.join(', ')}?` : '') + ' Chạy `grade --list` để xem tất cả.',
  unknownFormat: (name, all, near) =>
    `không có định dạng "${name}": hãy dùng một trong ${all.join(', ')}` + (near.length ? ` (có phải bạn muốn ${near.join(', ')}?)` : ''),
  jsonNeedsOut: (formats) => `--json in ra stdout: hãy cho --out DIR để ghi --format ${formats.join(', ')}`,
  oneFormatOnStdout: (formats) => `chỉ một định dạng được ra stdout: hãy cho --out DIR để ghi ${formats.join(', ')}`,
  outNeedsFormat: '--out DIR là nơi --format ghi vào: hãy nêu ít nhất một --format',
  outNotFolder: (out) => `--out ${out}: không phải là thư mục`,
  outCannotMake: (dir, why) => `--out: không tạo được ${dir}: ${why}`,
  noSuchFile: (file) => `không có file: ${file}`,
  badExtension: (file) => `${file}: cần một file .ts, .mts, .js hoặc .mjs`,
  badLang: (all, got) => `--lang nhận một trong ${all.join(', ')}, không phải "${got}"`,
  levelWithoutHint: '--level đi cùng `grade hint <exercise>`',
  oneExercise: (got) => `mỗi lần một bài tập thôi (nhận được ${got.join(', ')}); --all chấm mọi bài tập`,
  allTakesNone: (name) => `--all chấm mọi bài tập: đừng nêu bài nào (nhận được ${name})`,
  formatNeedsGrade: '--format và --out báo cáo một lần chấm: hãy nêu một bài tập, hoặc --all',
  fileWithAll: '--file và --all không đi cùng nhau: --all chấm exercises/<id>/index.ts (hoặc, với --solution, các lời giải mẫu)',
  fileWithSolution: '--file và --solution không đi cùng nhau',
  watchOne: '--watch theo dõi một bài tập: hãy nêu tên bài thay cho --all',
  watchHuman: '--watch in báo cáo cho bạn đọc: không đi cùng --json, --format hay --out',
  watchSolution: '--watch chấm file của bạn trong lúc bạn sửa: không đi cùng --solution',
  pollWithoutWatch: '--poll đi cùng --watch',
  unknownDriver: (name, all) => `không có driver "${name}": hãy dùng một trong ${all.join(', ')}`,
  badSeed: (max, got) => `--seed nhận một số nguyên từ 1 đến ${max} (số mà báo cáo đã in), không phải "${got}"`,
  hintOneExercise: 'hãy nêu một bài tập: grade hint <exercise> [--level 1|2|3]',
  badLevel: (max, got) => `--level nhận một số nguyên từ 1 đến ${max}, không phải "${got}"`,
  cannotGrade: 'Không chấm được trên máy này:',
  interrupted: (sig) => `${sig}: đang gỡ các lab…`,
  waitingForLab: (detail) => `đang chờ một lab: ${detail}`,
  elapsed: (clock) => `(đã chạy ${clock})`,
  scoreIn: (score, seconds) => `${score} trong ${seconds} s`,
  notSaved: (why) => `không lưu được điểm của bạn: ${why}`,
  notRemoved: (why) => `không gỡ được hết các lab: ${why}`,
  notVerdict: 'đây là lỗi của grader hoặc của máy này, không phải đánh giá code của bạn (mã thoát 2).',
  labNotSetUp: (scenario, why) => `không dựng được lab (scenario ${scenario}): ${why}`,
  summaryNotWritten: (why) => `không ghi thêm được vào $GITHUB_STEP_SUMMARY: ${why}`,
  watch: {
    grading: (file) => `Đang chấm ${file} …`,
    change: (now, before) => `Lần chấm trước: ${before} → lần này ${now}`,
    compileError: 'File của bạn không compile được: sửa rồi lưu lại, bài sẽ được chấm lại.',
    keys: (dir) => `Đang theo dõi ${dir} — lưu file để chấm lại · r chấm lại · h gợi ý tiếp · q thoát`,
    bye: 'Đã dừng theo dõi.',
  },
  hint: {
    title: (level, count, id, title) => `Gợi ý ${level}/${count} — ${id}: ${title}`,
    nextCommand: (id, level) => `Gợi ý tiếp theo: npx grade hint ${id} --level ${level}`,
    nextKey: 'Gợi ý tiếp theo: nhấn h',
    last: 'Đó là gợi ý cuối cùng. README nói rõ những gì được chấm.',
    none: 'Bài tập này chưa có gợi ý.',
  },
  progress: {
    head: 'Tiến độ của bạn trong khóa học',
    done: (n, of) => `đã xong ${n}/${of} bài tập`,
    points: (pct) => `${pct}% tổng số điểm (điểm cao nhất)`,
    best: (b, l) => `cao nhất ${b} · lần cuối ${l}`,
    notStarted: 'chưa bắt đầu',
    next: (id) => `Tiếp theo: npx grade ${id}   (npx grade hint ${id} để xem gợi ý, --watch để chấm mỗi khi lưu)`,
    all: 'Mọi bài tập đều đạt. Làm tốt lắm.',
  },
  packed: {
    none: 'không có bài nào',
    notHere: (name, holds) => `bài tập "${name}" không thuộc repository này: nó chỉ có ${holds} (\`grade --list\`).`,
    noSolutions: (kind) =>
      `repository này không có lời giải mẫu: nó được tạo cho learner bằng \`grade pack ${kind}\`, lệnh này bỏ thư mục solutions/ ra. ` +
      'Hãy chấm file của chính bạn: `grade <exercise>`.',
    noSolutionFor: (ids, file) => `ở đây không có lời giải mẫu cho ${ids} (không có ${file}).`,
  },
  report: {
    driver: (driver, seconds) => `driver ${driver}, mất ${seconds} s`,
    notCompiled: 'File của bạn không compile được, nên chưa có gì được chạy:',
    seed: (seed, id) => `seed ${seed} — \`grade ${id} --seed ${seed}\` lặp lại các giá trị ngẫu nhiên của lần chạy này`,
    score: (total) => `Điểm ${total}`,
    allPass: (total) => `Điểm ${total} — mọi check đều đạt.`,
    everyExercise: 'Mọi bài tập',
    columns: { exercise: 'bài tập', score: 'điểm', checks: 'check', time: 'thời gian', total: 'tổng' },
    allExercisesPass: (total) => `Điểm ${total} — mọi check của mọi bài tập đều đạt.`,
    categories: {
      correctness: 'tính đúng',
      'error-handling': 'xử lý error',
      timeouts: 'timeout',
      backoff: 'backoff',
      shutdown: 'shutdown',
      resources: 'tài nguyên',
    },
  },
  notReady: {
    head: 'grade chưa dựng được lab trên máy này.',
    docker: (sudo) =>
      `Docker đang chạy ở đây, nhưng user của bạn chưa được dùng nó. Chạy \`sudo usermod -aG docker $USER\`, đăng xuất rồi đăng nhập lại, rồi chấm lại (hoặc chấm với quyền root: \`${sudo}\`).`,
    sudo: (sudo) => `Chấm với quyền root, trong network namespace: \`${sudo}\``,
    setup: (sudo) => `Cài các công cụ một lần, rồi chấm với quyền root: \`sudo bin/setup && ${sudo}\``,
    nested: 'Hệ thống này không cho tạo network namespace (đang ở trong một container?). Hãy chấm trên máy host, hoặc dùng Docker: `sudo bash .ci/docker-setup.sh`.',
    desktop: 'Cài Docker Desktop (https://docs.docker.com/get-docker/), khởi động nó, rồi chấm lại.',
    more: '`npx grade doctor` cho biết máy này có gì và thiếu gì.',
  },
};

export const catalogues: Record<Lang, Messages> = { en, vi };
export const messages = (lang: Lang): Messages => catalogues[lang];

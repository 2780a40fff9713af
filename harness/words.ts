/**
 * What the drivers say about this machine (`grade doctor`, a driver that
 * cannot run), in English and Vietnamese: one catalogue (grader/i18n.ts), so
 * DriverStatus problems and notes are Localized and the CLI says them in the
 * learner's language.
 */
import { catalogue } from '../grader/i18n.ts';

const en = {
  needsLinux: 'network namespaces need Linux: use --driver docker',
  needsRoot: 'the netns driver needs root: run `sudo npx grade …`, or use --driver docker',
  toolMissing: (p: { tool: string; pkg: string }) => `\`${p.tool}\` is missing: install it with \`sudo apt-get install ${p.pkg}\``,
  rootlessOff: 'rootless mode is turned off here (NETPROG_ROOTLESS=0)',
  noUserNamespaces: (why: string) =>
    `this kernel does not let an ordinary user make user namespaces (${why}); ` +
    'grade as root (`sudo npx grade …`), or with Docker (`sudo bash .ci/docker-setup.sh`)',
  rootlessLabs: 'rootless: labs are network namespaces inside a user namespace of yours (no root, no Docker needed)',
  rootlessGivesUp:
    'gives up: learner code runs as your own uid (no capabilities, no-new-privs, its own namespaces, the repository hidden, ' +
    'but your other files readable); memory bounded only by V8’s heap, processes by RLIMIT_NPROC, CPU not limited (no cgroup is writable here)',
  dockerDenied: (socket: string) =>
    `Docker runs here, but this user may not use it (no permission on ${socket}): \`sudo usermod -aG docker $USER\`, then log in again`,
  noDaemon: (why: string) =>
    `no Docker daemon answers (${why}): install Docker — Debian/Ubuntu: ` +
    '`sudo apt-get install docker.io` and start it (or run `sudo bash .ci/docker-setup.sh`), elsewhere Docker Desktop',
  dockerAt: (p: { version: string; where: string; os: string; cpus: string }) => `Docker ${p.version} reachable at ${p.where} (${p.os}, ${p.cpus} CPUs)`,
  notLinuxContainers: (os: string) => `the daemon runs ${os} containers; labs need Linux containers`,
  imageBuilt: (tag: string) => `lab image ${tag} is built (reused by every lab)`,
  imageNotBuilt: (p: { tag: string; registry: string; offline: string }) =>
    `lab image ${p.tag} is not built yet: the first lab builds it (from ${p.registry} if a registry answers, ` +
    `else from Debian's packages${p.offline ? ` — which here fails: ${p.offline}` : ''}); \`node docker/build-image.mjs\` builds it now`,
  learnerContainers: (cpus: string) => `learner containers: uid 10001, no capabilities, read-only root, ${cpus} CPUs, memory and process limits, no route out of the lab`,
  labContainer:
    'labs: network namespaces inside one lab container per grader (the netns driver, run there); learner code: a uid of its own, ' +
    'no capabilities, its own network, mount and process view, memory, process and CPU limits, no route out of the lab',
  cgroupV1: 'memory, process and CPU limits enforced by cgroup v1 (memory, pids, cpu)',
  cgroupV1NoCpu: 'memory and process limits enforced by cgroup v1 (memory, pids; no cpu controller: CPU not limited)',
  killFreezer: 'a kill freezes the cgroup first (freezer)',
  killNoFreezer: 'a kill works from pid lists (no freezer controller: a fork loop may race it)',
  cgroupV2: 'memory, process and CPU limits enforced by cgroup v2 (memory.max, pids.max, cpu.max)',
  cgroupV2NoCpu: 'memory and process limits enforced by cgroup v2 (memory.max, pids.max; cpu controller not enabled at the root: CPU not limited)',
  killV2: 'a kill uses cgroup.kill (freeze, kill, thaw where the kernel has none)',
  noCgroups: 'no writable cgroup controllers: processes limited by RLIMIT_NPROC, memory only by V8 heap size, CPU not limited',
  privateViewHidden: 'learner sees a private /tmp and /dev/shm, its program folder read-only, not the repository, and only its own processes (/proc hidepid=invisible)',
  privateViewNoHidepid:
    "learner sees a private /tmp and /dev/shm, its program folder read-only, not the repository; /proc could not be mounted with hidepid=invisible (needs Linux 5.8+): learner code can see other processes' command lines",
  installHint:
    'to grade here, either install Docker (Debian/Ubuntu: `sudo apt-get install docker.io`, then start dockerd — ' +
    '`sudo bash .ci/docker-setup.sh` does both; macOS/Windows: Docker Desktop), or run as root on Linux with ' +
    'iproute2, nftables and util-linux (`sudo npx grade …`)',
  // How busy the machine was while a scenario ran (harness/load.ts)
  loadLag: (ms: number) => `the grader's timers ran up to ${ms} ms late`,
  loadLagPressure: (p: { ms: number; percent: number }) => `the grader's timers ran up to ${p.ms} ms late, tasks waited for a CPU ${p.percent}% of the time`,
};

const vi: typeof en = {
  needsLinux: 'network namespace cần Linux: hãy dùng --driver docker',
  needsRoot: 'driver netns cần quyền root: chạy `sudo npx grade …`, hoặc dùng --driver docker',
  toolMissing: (p) => `thiếu \`${p.tool}\`: cài bằng \`sudo apt-get install ${p.pkg}\``,
  rootlessOff: 'chế độ rootless bị tắt ở đây (NETPROG_ROOTLESS=0)',
  noUserNamespaces: (why) =>
    `kernel này không cho user thường tạo user namespace (${why}); ` +
    'hãy chấm với quyền root (`sudo npx grade …`), hoặc bằng Docker (`sudo bash .ci/docker-setup.sh`)',
  rootlessLabs: 'rootless: lab là các network namespace bên trong một user namespace của chính bạn (không cần root, không cần Docker)',
  rootlessGivesUp:
    'đánh đổi: code của learner chạy bằng chính uid của bạn (không capability, no-new-privs, namespace riêng, repository bị ẩn, ' +
    'nhưng các file khác của bạn vẫn đọc được); bộ nhớ chỉ bị giới hạn bởi heap của V8, số process bởi RLIMIT_NPROC, CPU không bị giới hạn (ở đây không ghi được cgroup nào)',
  dockerDenied: (socket) =>
    `Docker đang chạy ở đây, nhưng user này chưa được dùng nó (không có quyền trên ${socket}): \`sudo usermod -aG docker $USER\`, rồi đăng nhập lại`,
  noDaemon: (why) =>
    `không có Docker daemon nào trả lời (${why}): hãy cài Docker — Debian/Ubuntu: ` +
    '`sudo apt-get install docker.io` rồi khởi động nó (hoặc chạy `sudo bash .ci/docker-setup.sh`), nơi khác dùng Docker Desktop',
  dockerAt: (p) => `Docker ${p.version} trả lời ở ${p.where} (${p.os}, ${p.cpus} CPU)`,
  notLinuxContainers: (os) => `daemon chạy container ${os}; lab cần container Linux`,
  imageBuilt: (tag) => `image của lab ${tag} đã được build (mọi lab dùng lại nó)`,
  imageNotBuilt: (p) =>
    `image của lab ${p.tag} chưa được build: lab đầu tiên sẽ build nó (từ ${p.registry} nếu có registry trả lời, ` +
    `nếu không thì từ các package của Debian${p.offline ? ` — mà ở đây sẽ thất bại: ${p.offline}` : ''}); \`node docker/build-image.mjs\` build nó ngay bây giờ`,
  learnerContainers: (cpus) => `container của learner: uid 10001, không capability, root chỉ đọc, ${cpus} CPU, giới hạn bộ nhớ và số process, không có đường ra ngoài lab`,
  labContainer:
    'lab: các network namespace bên trong một container lab cho mỗi lần chấm (driver netns chạy trong đó); code của learner: uid riêng, ' +
    'không capability, network, mount và process view riêng, giới hạn bộ nhớ, số process và CPU, không có đường ra ngoài lab',
  cgroupV1: 'giới hạn bộ nhớ, số process và CPU được áp bằng cgroup v1 (memory, pids, cpu)',
  cgroupV1NoCpu: 'giới hạn bộ nhớ và số process được áp bằng cgroup v1 (memory, pids; không có controller cpu: CPU không bị giới hạn)',
  killFreezer: 'khi kill, cgroup được đóng băng trước (freezer)',
  killNoFreezer: 'kill dựa trên danh sách pid (không có controller freezer: một vòng fork có thể chạy đua với nó)',
  cgroupV2: 'giới hạn bộ nhớ, số process và CPU được áp bằng cgroup v2 (memory.max, pids.max, cpu.max)',
  cgroupV2NoCpu: 'giới hạn bộ nhớ và số process được áp bằng cgroup v2 (memory.max, pids.max; controller cpu chưa bật ở root: CPU không bị giới hạn)',
  killV2: 'kill dùng cgroup.kill (đóng băng, kill, rã băng nơi kernel không có nó)',
  noCgroups: 'không có controller cgroup nào ghi được: số process bị giới hạn bởi RLIMIT_NPROC, bộ nhớ chỉ bởi kích thước heap của V8, CPU không bị giới hạn',
  privateViewHidden: 'learner thấy /tmp và /dev/shm riêng, thư mục chương trình của nó ở chế độ chỉ đọc, không thấy repository, và chỉ thấy process của chính nó (/proc hidepid=invisible)',
  privateViewNoHidepid:
    'learner thấy /tmp và /dev/shm riêng, thư mục chương trình của nó ở chế độ chỉ đọc, không thấy repository; không mount được /proc với hidepid=invisible (cần Linux 5.8+): code của learner thấy được command line của các process khác',
  installHint:
    'để chấm ở đây, hoặc cài Docker (Debian/Ubuntu: `sudo apt-get install docker.io`, rồi khởi động dockerd — ' +
    '`sudo bash .ci/docker-setup.sh` làm cả hai; macOS/Windows: Docker Desktop), hoặc chạy với quyền root trên Linux có ' +
    'iproute2, nftables và util-linux (`sudo npx grade …`)',
  loadLag: (ms) => `các timer của grader chạy trễ tới ${ms} ms`,
  loadLagPressure: (p) => `các timer của grader chạy trễ tới ${p.ms} ms, các task phải chờ CPU ${p.percent}% thời gian`,
};

export const words = catalogue(en, vi);

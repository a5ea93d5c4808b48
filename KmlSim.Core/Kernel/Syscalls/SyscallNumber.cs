namespace KmlSim.Kernel.Syscalls;

/// <summary>The x86-64 Linux system call numbers this kernel implements (asm/unistd_64.h).</summary>
internal enum SyscallNumber : long
{
    /// <summary>read.</summary>
    Read = 0,
    /// <summary>write.</summary>
    Write = 1,
    /// <summary>open.</summary>
    Open = 2,
    /// <summary>close.</summary>
    Close = 3,
    /// <summary>stat.</summary>
    Stat = 4,
    /// <summary>fstat.</summary>
    Fstat = 5,
    /// <summary>lstat.</summary>
    Lstat = 6,
    /// <summary>poll.</summary>
    Poll = 7,
    /// <summary>lseek.</summary>
    Lseek = 8,
    /// <summary>mmap.</summary>
    Mmap = 9,
    /// <summary>mprotect.</summary>
    Mprotect = 10,
    /// <summary>munmap.</summary>
    Munmap = 11,
    /// <summary>brk.</summary>
    Brk = 12,
    /// <summary>ioctl.</summary>
    Ioctl = 16,
    /// <summary>pread64.</summary>
    Pread64 = 17,
    /// <summary>pwrite64.</summary>
    Pwrite64 = 18,
    /// <summary>readv.</summary>
    Readv = 19,
    /// <summary>writev.</summary>
    Writev = 20,
    /// <summary>access.</summary>
    Access = 21,
    /// <summary>pipe.</summary>
    Pipe = 22,
    /// <summary>select.</summary>
    Select = 23,
    /// <summary>mremap.</summary>
    Mremap = 25,
    /// <summary>dup.</summary>
    Dup = 32,
    /// <summary>dup2.</summary>
    Dup2 = 33,
    /// <summary>getpid.</summary>
    Getpid = 39,

    /// <summary>execve.</summary>
    Execve = 59,

    /// <summary>rt_sigaction.</summary>
    RtSigaction = 13,

    /// <summary>rt_sigprocmask.</summary>
    RtSigprocmask = 14,

    /// <summary>rt_sigreturn.</summary>
    RtSigreturn = 15,
    /// <summary>socketpair.</summary>
    Socketpair = 53,

    /// <summary>clone.</summary>
    Clone = 56,

    /// <summary>fork.</summary>
    Fork = 57,

    /// <summary>vfork.</summary>
    Vfork = 58,
    /// <summary>exit (the calling thread).</summary>
    Exit = 60,
    /// <summary>kill.</summary>
    Kill = 62,

    /// <summary>wait4.</summary>
    Wait4 = 61,
    /// <summary>uname.</summary>
    Uname = 63,
    /// <summary>fcntl.</summary>
    Fcntl = 72,
    /// <summary>fsync.</summary>
    Fsync = 74,
    /// <summary>fdatasync.</summary>
    Fdatasync = 75,
    /// <summary>truncate.</summary>
    Truncate = 76,
    /// <summary>ftruncate.</summary>
    Ftruncate = 77,
    /// <summary>getcwd.</summary>
    Getcwd = 79,
    /// <summary>chdir.</summary>
    Chdir = 80,
    /// <summary>fchdir.</summary>
    Fchdir = 81,
    /// <summary>rename.</summary>
    Rename = 82,
    /// <summary>mkdir.</summary>
    Mkdir = 83,
    /// <summary>rmdir.</summary>
    Rmdir = 84,
    /// <summary>creat.</summary>
    Creat = 85,
    /// <summary>unlink.</summary>
    Unlink = 87,
    /// <summary>symlink.</summary>
    Symlink = 88,
    /// <summary>readlink.</summary>
    Readlink = 89,
    /// <summary>fchown.</summary>
    Fchown = 93,
    /// <summary>umask.</summary>
    Umask = 95,
    /// <summary>gettimeofday.</summary>
    Gettimeofday = 96,
    /// <summary>getrlimit.</summary>
    Getrlimit = 97,
    /// <summary>getuid.</summary>
    Getuid = 102,
    /// <summary>getgid.</summary>
    Getgid = 104,
    /// <summary>geteuid.</summary>
    Geteuid = 107,
    /// <summary>getegid.</summary>
    Getegid = 108,
    /// <summary>getppid.</summary>
    Getppid = 110,

    /// <summary>sched_yield.</summary>
    SchedYield = 24,
    /// <summary>arch_prctl.</summary>
    ArchPrctl = 158,
    /// <summary>setrlimit.</summary>
    Setrlimit = 160,
    /// <summary>gettid.</summary>
    Gettid = 186,
    /// <summary>tkill.</summary>
    Tkill = 200,
    /// <summary>time.</summary>
    Time = 201,
    /// <summary>futex.</summary>
    Futex = 202,
    /// <summary>getdents64.</summary>
    Getdents64 = 217,
    /// <summary>set_tid_address.</summary>
    SetTidAddress = 218,
    /// <summary>clock_gettime.</summary>
    ClockGettime = 228,
    /// <summary>exit_group (the whole process).</summary>
    ExitGroup = 231,
    /// <summary>tgkill.</summary>
    Tgkill = 234,
    /// <summary>openat.</summary>
    Openat = 257,
    /// <summary>mkdirat.</summary>
    Mkdirat = 258,
    /// <summary>newfstatat.</summary>
    Newfstatat = 262,
    /// <summary>unlinkat.</summary>
    Unlinkat = 263,
    /// <summary>renameat.</summary>
    Renameat = 264,
    /// <summary>symlinkat.</summary>
    Symlinkat = 266,
    /// <summary>readlinkat.</summary>
    Readlinkat = 267,
    /// <summary>faccessat.</summary>
    Faccessat = 269,
    /// <summary>pselect6.</summary>
    Pselect6 = 270,
    /// <summary>ppoll.</summary>
    Ppoll = 271,
    /// <summary>set_robust_list.</summary>
    SetRobustList = 273,
    /// <summary>dup3.</summary>
    Dup3 = 292,
    /// <summary>pipe2.</summary>
    Pipe2 = 293,
    /// <summary>prlimit64.</summary>
    Prlimit64 = 302,
    /// <summary>renameat2.</summary>
    Renameat2 = 316,
    /// <summary>getrandom.</summary>
    Getrandom = 318,
    /// <summary>rseq.</summary>
    Rseq = 334,
    /// <summary>faccessat2.</summary>
    Faccessat2 = 439,

    /// <summary>pause.</summary>
    Pause = 34,
    /// <summary>nanosleep.</summary>
    Nanosleep = 35,
    /// <summary>getrusage.</summary>
    Getrusage = 98,
    /// <summary>times.</summary>
    Times = 100,
    /// <summary>rt_sigpending.</summary>
    RtSigpending = 127,
    /// <summary>rt_sigtimedwait.</summary>
    RtSigtimedwait = 128,
    /// <summary>rt_sigsuspend.</summary>
    RtSigsuspend = 130,
    /// <summary>sigaltstack.</summary>
    Sigaltstack = 131,
    /// <summary>clock_nanosleep.</summary>
    ClockNanosleep = 230,
}

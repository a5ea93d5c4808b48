namespace KmlSim.Kernel.Syscalls;

/// <summary>The x86-64 Linux system call numbers this kernel implements (asm/unistd_64.h).</summary>
internal enum SyscallNumber : long
{
    /// <summary>read.</summary>
    Read = 0,
    /// <summary>write.</summary>
    Write = 1,
    /// <summary>fstat.</summary>
    Fstat = 5,
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
    /// <summary>writev.</summary>
    Writev = 20,
    /// <summary>mremap.</summary>
    Mremap = 25,
    /// <summary>getpid.</summary>
    Getpid = 39,

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
    /// <summary>readlink.</summary>
    Readlink = 89,
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
    /// <summary>set_tid_address.</summary>
    SetTidAddress = 218,
    /// <summary>clock_gettime.</summary>
    ClockGettime = 228,
    /// <summary>exit_group (the whole process).</summary>
    ExitGroup = 231,
    /// <summary>tgkill.</summary>
    Tgkill = 234,
    /// <summary>newfstatat.</summary>
    Newfstatat = 262,
    /// <summary>readlinkat.</summary>
    Readlinkat = 267,
    /// <summary>set_robust_list.</summary>
    SetRobustList = 273,
    /// <summary>prlimit64.</summary>
    Prlimit64 = 302,
    /// <summary>getrandom.</summary>
    Getrandom = 318,
    /// <summary>rseq.</summary>
    Rseq = 334,
}

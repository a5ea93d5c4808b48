using KmlSim.Isa;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Services the system call a process stopped on, with the x86-64 Linux convention: the number in RAX,
/// arguments in RDI, RSI, RDX, R10, R8, R9, the result (or a negated errno) back in RAX, every other
/// register preserved. Bodies are grouped by family in the partial files beside this one. A call that is
/// not implemented returns ENOSYS and is counted by name.
/// </summary>
internal static partial class SyscallDispatcher
{
    /// <summary>
    /// Services one call; afterwards the process may have exited. A body that returns
    /// <see cref="WaitQueue.RestartSyscall"/> leaves every register as it was, so that the kernel can block
    /// the task and run the same call again when it is woken.
    /// </summary>
    /// <returns>False when the call blocked (its body returned <see cref="WaitQueue.RestartSyscall"/>).</returns>
    public static bool Dispatch(GuestProcess p)
    {
        var cpu = p.Cpu;
        var number = (SyscallNumber)cpu.GetRegister(Gpr.Rax);
        ulong a0 = cpu.GetRegister(Gpr.Rdi), a1 = cpu.GetRegister(Gpr.Rsi), a2 = cpu.GetRegister(Gpr.Rdx);
        ulong a3 = cpu.GetRegister(Gpr.R10), a4 = cpu.GetRegister(Gpr.R8), a5 = cpu.GetRegister(Gpr.R9);
        p.SyscallCount++;
        long result = number switch
        {
            SyscallNumber.Read => Read(p, (int)a0, a1, a2),
            SyscallNumber.Write => Write(p, (int)a0, a1, a2),
            SyscallNumber.Pread64 => Pread(p, (int)a0, a1, a2, (long)a3),
            SyscallNumber.Pwrite64 => Pwrite(p, (int)a0, a1, a2, (long)a3),
            SyscallNumber.Readv => Readv(p, (int)a0, a1, (int)a2),
            SyscallNumber.Writev => Writev(p, (int)a0, a1, (int)a2),
            SyscallNumber.Lseek => Lseek(p, (int)a0, (long)a1, (int)a2),
            SyscallNumber.Ioctl => Ioctl(p, (int)a0, a1 & 0xFFFF_FFFF, a2),
            SyscallNumber.Fsync or SyscallNumber.Fdatasync => Fsync(p, (int)a0),
            SyscallNumber.Ftruncate => Ftruncate(p, (int)a0, (long)a1),
            SyscallNumber.Truncate => Truncate(p, a0, (long)a1),
            SyscallNumber.Open => Open(p, AtFdCwd, a0, (int)a1, (uint)a2),
            SyscallNumber.Openat => Open(p, (int)a0, a1, (int)a2, (uint)a3),
            SyscallNumber.Creat => Open(p, AtFdCwd, a0, OpenFlags.Create | OpenFlags.WriteOnly | OpenFlags.Truncate, (uint)a1),
            SyscallNumber.Close => Close(p, (int)a0),
            SyscallNumber.Stat => Stat(p, AtFdCwd, a0, a1, 0),
            SyscallNumber.Lstat => Stat(p, AtFdCwd, a0, a1, AtSymlinkNoFollow),
            SyscallNumber.Fstat => Fstat(p, (int)a0, a1),
            SyscallNumber.Newfstatat => Stat(p, (int)a0, a1, a2, (int)a3),
            SyscallNumber.Access => Access(p, AtFdCwd, a0, (int)a1, 0),
            SyscallNumber.Faccessat => Access(p, (int)a0, a1, (int)a2, 0),
            SyscallNumber.Faccessat2 => Access(p, (int)a0, a1, (int)a2, (int)a3),
            SyscallNumber.Mkdir => MakeDirectory(p, AtFdCwd, a0, (uint)a1),
            SyscallNumber.Mkdirat => MakeDirectory(p, (int)a0, a1, (uint)a2),
            SyscallNumber.Rmdir => Unlink(p, AtFdCwd, a0, AtRemoveDir),
            SyscallNumber.Unlink => Unlink(p, AtFdCwd, a0, 0),
            SyscallNumber.Unlinkat => Unlink(p, (int)a0, a1, (int)a2),
            SyscallNumber.Rename => Rename(p, AtFdCwd, a0, AtFdCwd, a1, 0),
            SyscallNumber.Renameat => Rename(p, (int)a0, a1, (int)a2, a3, 0),
            SyscallNumber.Renameat2 => Rename(p, (int)a0, a1, (int)a2, a3, (uint)a4),
            SyscallNumber.Symlink => Symlink(p, a0, AtFdCwd, a1),
            SyscallNumber.Symlinkat => Symlink(p, a0, (int)a1, a2),
            SyscallNumber.Readlink => Readlink(p, AtFdCwd, a0, a1, (int)a2),
            SyscallNumber.Readlinkat => Readlink(p, (int)a0, a1, a2, (int)a3),
            SyscallNumber.Getdents64 => Getdents64(p, (int)a0, a1, a2),
            SyscallNumber.Getcwd => Getcwd(p, a0, a1),
            SyscallNumber.Chdir => Chdir(p, a0),
            SyscallNumber.Fchdir => Fchdir(p, (int)a0),
            SyscallNumber.Fchown => Fchown(p, (int)a0),
            SyscallNumber.Umask => Umask(p, (uint)a0),
            SyscallNumber.Dup => Dup(p, (int)a0, 0, closeOnExec: false),
            SyscallNumber.Dup2 => Dup2(p, (int)a0, (int)a1, 0, isDup3: false),
            SyscallNumber.Dup3 => Dup2(p, (int)a0, (int)a1, (int)a2, isDup3: true),
            SyscallNumber.Fcntl => Fcntl(p, (int)a0, (int)a1, a2),
            SyscallNumber.Pipe => Pipe(p, a0, 0),
            SyscallNumber.Pipe2 => Pipe(p, a0, (int)a1),
            SyscallNumber.Socketpair => Socketpair(p, (int)a0, (int)a1, (int)a2, a3),
            SyscallNumber.Poll => Poll(p, a0, a1, (int)a2),
            SyscallNumber.Ppoll => Ppoll(p, a0, a1, a2),
            SyscallNumber.Select => SelectWithTimeval(p, (int)a0, a1, a2, a3, a4),
            SyscallNumber.Pselect6 => Pselect6(p, (int)a0, a1, a2, a3, a4),
            SyscallNumber.Mmap => Mmap(p, a0, a1, a2, a3, (int)a4),
            SyscallNumber.Munmap => Munmap(p, a0, a1),
            SyscallNumber.Mprotect => Mprotect(p, a0, a1, a2),
            SyscallNumber.Mremap => Mremap(p, a0, a1, a2, a3),
            SyscallNumber.Brk => (long)p.Memory.SetBreak(a0),
            SyscallNumber.Exit or SyscallNumber.ExitGroup => Exit(p, (int)a0),
            SyscallNumber.Getpid or SyscallNumber.Gettid => p.Pid,
            SyscallNumber.Getppid => p.ParentPid,
            SyscallNumber.Getuid or SyscallNumber.Geteuid => ProcessIdentity.UserId,
            SyscallNumber.Getgid or SyscallNumber.Getegid => ProcessIdentity.GroupId,
            SyscallNumber.ArchPrctl => ArchPrctl(p, (int)a0, a1),
            SyscallNumber.SetTidAddress => SetTidAddress(p, a0),
            SyscallNumber.SetRobustList => a1 == RobustListHeadSize ? 0 : -Errno.EINVAL,
            SyscallNumber.Rseq => -Errno.ENOSYS, // deliberately absent: glibc then runs without restartable sequences
            SyscallNumber.Uname => Uname(p, a0),
            SyscallNumber.Prlimit64 => Prlimit(p, (int)a0, (int)a1, a2, a3),
            SyscallNumber.Getrlimit => Prlimit(p, 0, (int)a0, 0, a1),
            SyscallNumber.Setrlimit => Prlimit(p, 0, (int)a0, a1, 0),
            SyscallNumber.ClockGettime => ClockGettime(p, (int)a0, a1),
            SyscallNumber.Gettimeofday => Gettimeofday(p, a0, a1),
            SyscallNumber.Time => Time(p, a0),
            SyscallNumber.Nanosleep => Nanosleep(p, a0),
            SyscallNumber.ClockNanosleep => ClockNanosleep(p, (int)a0, (int)a1, a2),
            SyscallNumber.Getrandom => Getrandom(p, a0, a1, (uint)a2),
            SyscallNumber.Futex => Futex(p, a0, (int)a1, (uint)a2, a3),
            SyscallNumber.Kill => SignalSelf(p, (int)a0 is 0 or -1 ? p.Pid : (int)a0, (int)a1), // 0, -1: a group holding only us
            SyscallNumber.Tkill => SignalSelf(p, (int)a0, (int)a1),
            SyscallNumber.Tgkill => (int)a0 == p.Pid ? SignalSelf(p, (int)a1, (int)a2) : -Errno.ESRCH,
            _ => Unimplemented(p, (long)number),
        };
        if (result == WaitQueue.RestartSyscall)
        {
            p.SyscallCount--; // counted again when the call runs anew
            return false; // the body joined a wait queue; RAX still holds the number, so the call can run again
        }

        cpu.SetRegister(Gpr.Rax, (ulong)result);
        return true;
    }

    private static long Unimplemented(GuestProcess p, long number)
    {
        string name = SyscallNames.Of(number);
        p.UnimplementedSyscalls[name] = p.UnimplementedSyscalls.GetValueOrDefault(name) + 1;
        return -Errno.ENOSYS;
    }
}

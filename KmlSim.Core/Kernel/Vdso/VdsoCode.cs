using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Kernel.Vdso;

/// <summary>
/// The vDSO's functions, assembled with Iced: clock_gettime, gettimeofday, time and getcpu computed in user
/// mode from RDTSC and the vvar page, as Linux's vDSO does (on 2.6.11 these were the vsyscall page's), so
/// that reading the time never enters the kernel. Simulated time is a function of the clock ticks RDTSC
/// counts (<see cref="SimulatedClock.ElapsedNanoseconds"/>: 5 ns per 12 ticks of the 2.4 GHz clock), so the
/// code computes exactly what the system calls return: ticks / 12 * 5 + (ticks % 12 * 5) / 12, plus the
/// clock's base from the vvar page. A clock it does not compute (the CPU-time clocks, an invalid id) takes
/// the system call, as Linux's vDSO falls back. A bad pointer faults in user mode (SIGSEGV), as on Linux.
/// </summary>
internal static class VdsoCode
{
    private const int ClockGettimeNumber = 228;

    /// <summary>
    /// Assembles the functions for code placed at <paramref name="codeAddress"/> with the vvar page at
    /// <paramref name="vvarAddress"/> (only their distance matters: the code finds the page RIP-relative);
    /// returns the bytes and each function's name (without the __vdso_ prefix), offset and size.
    /// </summary>
    public static (byte[] Code, IReadOnlyList<(string Name, ulong Offset, ulong Size)> Functions) Assemble(ulong codeAddress, ulong vvarAddress)
    {
        var a = new Assembler(64);
        var clockGettime = a.CreateLabel();
        var gettimeofday = a.CreateLabel();
        var time = a.CreateLabel();
        var getcpu = a.CreateLabel();
        var nanoseconds = a.CreateLabel();
        var realtime = a.CreateLabel();
        var monotonic = a.CreateLabel();
        var storeTimespec = a.CreateLabel();
        var timevalDone = a.CreateLabel();
        var zoneDone = a.CreateLabel();
        var timeDone = a.CreateLabel();
        var cpuDone = a.CreateLabel();
        var nodeDone = a.CreateLabel();
        long vvarFromCode = (long)vvarAddress - (long)codeAddress;

        // clock_gettime(clockid_t edi, struct timespec *rsi)
        a.Label(ref clockGettime);
        foreach (int id in new[] { 0, 5, 11 }) // REALTIME, REALTIME_COARSE, TAI
        {
            a.cmp(edi, id);
            a.je(realtime);
        }

        foreach (int id in new[] { 1, 4, 6, 7 }) // MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME
        {
            a.cmp(edi, id);
            a.je(monotonic);
        }

        a.mov(eax, ClockGettimeNumber); // the CPU-time clocks and invalid ids: the system call decides
        a.syscall();
        a.ret();
        a.Label(ref realtime);
        a.mov(ecx, VvarLayout.RealtimeBase);
        a.jmp(storeTimespec);
        a.Label(ref monotonic);
        a.mov(ecx, VvarLayout.MonotonicBase);
        a.Label(ref storeTimespec);
        a.call(nanoseconds);
        SplitSeconds(a);
        a.mov(__qword_ptr[rsi], rax);
        a.mov(__qword_ptr[rsi + 8], rdx);
        a.xor(eax, eax);
        a.ret();

        // gettimeofday(struct timeval *rdi, struct timezone *rsi)
        a.Label(ref gettimeofday);
        a.test(rdi, rdi);
        a.je(timevalDone);
        a.mov(ecx, VvarLayout.RealtimeBase);
        a.call(nanoseconds);
        SplitSeconds(a);
        a.mov(__qword_ptr[rdi], rax);
        a.mov(rax, rdx);
        a.xor(edx, edx);
        a.mov(ecx, 1000);
        a.div(rcx);
        a.mov(__qword_ptr[rdi + 8], rax);
        a.Label(ref timevalDone);
        a.test(rsi, rsi);
        a.je(zoneDone);
        a.mov(__qword_ptr[rsi], 0); // tz_minuteswest, tz_dsttime: UTC
        a.Label(ref zoneDone);
        a.xor(eax, eax);
        a.ret();

        // time(time_t *rdi): returns the seconds
        a.Label(ref time);
        a.mov(ecx, VvarLayout.RealtimeBase);
        a.call(nanoseconds);
        SplitSeconds(a);
        a.test(rdi, rdi);
        a.je(timeDone);
        a.mov(__qword_ptr[rdi], rax);
        a.Label(ref timeDone);
        a.ret();

        // getcpu(unsigned *rdi, unsigned *rsi, void *rdx): the CPU from the vvar page, node 0 (the cache argument is unused since Linux 2.6.24)
        a.Label(ref getcpu);
        a.lea(r8, __[clockGettime]);
        a.mov(eax, __dword_ptr[r8 + (int)(vvarFromCode + VvarLayout.Cpu)]);
        a.test(rdi, rdi);
        a.je(cpuDone);
        a.mov(__dword_ptr[rdi], eax);
        a.Label(ref cpuDone);
        a.test(rsi, rsi);
        a.je(nodeDone);
        a.mov(__dword_ptr[rsi], 0);
        a.Label(ref nodeDone);
        a.xor(eax, eax);
        a.ret();

        // nanoseconds: rax = the vvar word at offset rcx (the clock's origin) + the time since boot; clobbers rcx, rdx, r8
        a.Label(ref nanoseconds);
        a.lea(r8, __[clockGettime]);
        a.mov(r8, __qword_ptr[r8 + rcx + (int)vvarFromCode]);
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.xor(edx, edx);
        a.mov(ecx, 12);
        a.div(rcx); // rax = ticks / 12, rdx = ticks % 12
        a.lea(rax, __[rax + rax * 4]);
        a.lea(rdx, __[rdx + rdx * 4]);
        a.imul(rdx, rdx, 171);
        a.shr(rdx, 11); // (r * 5) / 12, exact for every r * 5 < 60
        a.add(rax, rdx);
        a.add(rax, r8);
        a.ret();

        var writer = new Decoding.ByteCodeWriter();
        AssemblerResult result = a.Assemble(writer, codeAddress, BlockEncoderOptions.ReturnNewInstructionOffsets);
        ulong Offset(Label label) => result.GetLabelRIP(label) - codeAddress;
        return (writer.ToArray(),
        [
            ("clock_gettime", Offset(clockGettime), Offset(gettimeofday) - Offset(clockGettime)),
            ("gettimeofday", Offset(gettimeofday), Offset(time) - Offset(gettimeofday)),
            ("time", Offset(time), Offset(getcpu) - Offset(time)),
            ("getcpu", Offset(getcpu), Offset(nanoseconds) - Offset(getcpu)),
        ]);
    }

    /// <summary>rax (nanoseconds) into rax = seconds, rdx = nanoseconds within the second; clobbers rcx.</summary>
    private static void SplitSeconds(Assembler a)
    {
        a.xor(edx, edx);
        a.mov(ecx, 1_000_000_000);
        a.div(rcx);
    }
}

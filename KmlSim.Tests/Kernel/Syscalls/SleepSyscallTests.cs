using System.Buffers.Binary;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>
/// Sleeps and timeouts of a lone process under syscall emulation: nothing else can run, so the time passes
/// at once (the clock the process reads moves by the request, rounded up to whole 2.4 GHz cycles), and the
/// largest requests neither overflow nor hang.
/// </summary>
public class SleepSyscallTests
{
    private const ulong Request = ElfImageBuilder.DataAddress;
    private const ulong Clock = ElfImageBuilder.DataAddress + 0x100;

    private static ulong MonotonicNanoseconds(GuestProcess p)
    {
        Assert.That(p.Call("clock_gettime", 1, Clock), Is.Zero);
        return (p.Peek64(Clock) * 1_000_000_000) + p.Peek64(Clock + 8);
    }

    private static void PokeTimespec(GuestProcess p, ulong seconds, ulong nanoseconds)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, seconds);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), nanoseconds);
        p.Poke(Request, bytes);
    }

    [Test]
    public void NanosleepMovesTheClockByTheRequest()
    {
        GuestProcess p = TestProcess.Idle();
        ulong before = MonotonicNanoseconds(p);
        PokeTimespec(p, 1, 250_000_000);
        Assert.That(p.Call("nanosleep", Request, 0), Is.Zero);
        ulong slept = MonotonicNanoseconds(p) - before;
        Assert.That(slept, Is.InRange(1_250_000_000UL, 1_250_000_000UL + 1_000), "the request plus the few instructions between the calls");
    }

    [Test]
    public void AbsoluteSleepsEndAtTheirTime()
    {
        GuestProcess p = TestProcess.Idle();
        ulong target = MonotonicNanoseconds(p) + 7_000_000;
        PokeTimespec(p, target / 1_000_000_000, target % 1_000_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("clock_nanosleep", 1, 1, Request, 0), Is.Zero);
            Assert.That(MonotonicNanoseconds(p), Is.InRange(target, target + 1_000));
            Assert.That(p.Call("clock_nanosleep", 1, 1, Request, 0), Is.Zero, "a time already past returns at once");
            Assert.That(p.Call("clock_nanosleep", 3, 0, Request, 0), Is.EqualTo(-Errno.EINVAL), "the thread CPU clock");
        });
    }

    [Test]
    public void InvalidAndHugeRequests()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            PokeTimespec(p, 0, 1_000_000_000);
            Assert.That(p.Call("nanosleep", Request, 0), Is.EqualTo(-Errno.EINVAL));
            PokeTimespec(p, unchecked((ulong)-1), 0);
            Assert.That(p.Call("nanosleep", Request, 0), Is.EqualTo(-Errno.EINVAL), "negative seconds");
            Assert.That(p.Call("nanosleep", 0x10, 0), Is.EqualTo(-Errno.EFAULT));
            PokeTimespec(p, long.MaxValue, 999_999_999);
            Assert.That(p.Call("nanosleep", Request, 0), Is.Zero, "a sleep of ages ends (at 2^62 cycles, 61 years) without overflow");
            Assert.That(MonotonicNanoseconds(p), Is.GreaterThan(60UL * 365 * 24 * 3600 * 1_000_000_000));
            PokeTimespec(p, long.MaxValue, 0);
            Assert.That(p.Call("ppoll", 0, 0, Request, 0, 0), Is.Zero, "a poll of nothing with the longest timeout times out");
        });
    }
}

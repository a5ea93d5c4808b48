using System.Buffers.Binary;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>
/// Sleeps and timeouts of a lone process under syscall emulation: nothing else can run, so the time passes
/// at once (the clock the process reads moves by the request, rounded up to whole 2.4 GHz cycles), and the
/// largest requests neither overflow nor return early.
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
        });
    }

    /// <summary>
    /// A sleep of 100 years (3,155,760,000 s) lasts exactly that: the clock holds about 121 years of 2.4 GHz
    /// cycles. (It used to be cut at 2^62 cycles, 61 years, and return early.)
    /// </summary>
    [Test]
    public void ACenturyLongSleepLastsItsWholeRequest()
    {
        GuestProcess p = TestProcess.Idle();
        ulong before = MonotonicNanoseconds(p);
        const ulong century = 3_155_760_000;
        PokeTimespec(p, century, 0);
        Assert.That(p.Call("nanosleep", Request, 0), Is.Zero);
        Assert.That(MonotonicNanoseconds(p) - before, Is.InRange(century * 1_000_000_000, (century * 1_000_000_000) + 1_000));
    }

    /// <summary>
    /// A sleep or timeout past the clock's end never ends (Linux saturates it at KTIME_MAX, a timer that never
    /// fires); a lone process that does it can never be woken, so the run ends as a deadlock instead of
    /// the sleep returning at once.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void ASleepPastTheClocksEndNeverEnds(bool nanosleep)
    {
        GuestProcess p = TestProcess.Idle();
        PokeTimespec(p, long.MaxValue, 999_999_999);
        long result = nanosleep ? p.Call("nanosleep", Request, 0) : p.Call("ppoll", 0, 0, Request, 0, 0);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.Not.Zero);
            Assert.That(p.Ending?.Message, Does.StartWith("deadlock"));
        });
    }
}

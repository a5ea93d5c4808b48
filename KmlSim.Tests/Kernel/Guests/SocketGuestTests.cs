using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>Two processes over a socket pair (and a child's SIGPIPE), compared with native runs under Stock and under KML from /trusted.</summary>
public class SocketGuestTests
{
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void SocketPairPingPongAndSigpipeAreAsOnTheHost(KernelMode mode)
    {
        string binary = GuestRuns.Build("sockets", GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        RunResult simulated = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml });
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
        });
    }
}

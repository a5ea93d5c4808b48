using System.Text;
using KmlSim.Guests;
using KmlSim.Tests.Kernel.Guests;

namespace KmlSim.Tests.KernelModes;

/// <summary>
/// Under KML, /trusted decides which programs run in ring 0, so it belongs to root and an ordinary process
/// (uid 1000) can put nothing there. The expected results are Linux's rules for a non-root user (may_create:
/// EACCES without write permission; may_delete in a sticky directory: EPERM for root's entries; chown_ok:
/// EPERM), not a native run: the tests run as root on the host, where every one of these would succeed.
/// </summary>
public class TrustedDirectoryTests
{
    private const string Expected =
        "stat /trusted: 0 \nowner 0 mode 755\n" +
        "mkdir /trusted: -1 EEXIST\n" +
        "mkdir /trusted/bin2: -1 EACCES\n" +
        "creat /trusted/evil: -1 EACCES\n" +
        "rmdir /trusted: -1 EPERM\n" +
        "rename /trusted away: -1 EPERM\n" +
        "mkdir /mine: 0 \n" +
        "rename /mine over /trusted: -1 EPERM\n" +
        "creat /evil: 0 \n" +
        "rename /evil into /trusted: -1 EACCES\n" +
        "symlink into /trusted: -1 EACCES\n" +
        "fchown /trusted to me: -1 EPERM\n" +
        "fchown /trusted unchanged: 0 \n" +
        "unlink /evil: 0 \n" +
        "rmdir /mine: 0 \n";

    [TestCase(KernelMode.Kml)]
    [TestCase(KernelMode.KmlWithoutIst)]
    public void AnOrdinaryProcessCannotPutAProgramInTrusted(KernelMode mode)
    {
        string binary = GuestRuns.Build("trusted", GuestToolchain.Glibc);
        RunResult run = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = mode });
        Assert.Multiple(() =>
        {
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Exited), run.Message);
            Assert.That(Encoding.UTF8.GetString(run.Stdout), Is.EqualTo(Expected));
        });
    }

    /// <summary>What the host placed under /trusted before the run is root's too: the process can run it, not replace it.</summary>
    [Test]
    public void WhatTheHostPlacedInTrustedIsRoots()
    {
        string binary = GuestRuns.Build("trusted", GuestToolchain.Glibc);
        var machine = new Machine(new MachineOptions { KernelMode = KernelMode.Kml });
        machine.FileSystem.WriteFile("/trusted/bin/tool", [0x7F, (byte)'E', (byte)'L', (byte)'F']);
        machine.Start(binary, ["/trusted/bin/tool"]);
        RunResult run = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.Multiple(() =>
        {
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Exited), run.Message);
            Assert.That(Encoding.UTF8.GetString(run.Stdout), Is.EqualTo(Expected + "open it for writing: -1 EACCES\nunlink it: -1 EACCES\n"));
            Assert.That(machine.FileSystem.ReadFile("/trusted/bin/tool"), Has.Length.EqualTo(4));
        });
    }
}

using System.Text;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Files;

/// <summary>
/// The sandbox: a host tree mapped read-only cannot be written, and neither `..` nor links (relative,
/// absolute, to a directory, swapped in after listing) reach the host file outside it.
/// </summary>
public class HostMappingTests
{
    private const ulong PathAddress = ElfImageBuilder.DataAddress;
    private const ulong Buffer = ElfImageBuilder.DataAddress + 0x400;
    private string host = null!;
    private string mapped = null!;

    [SetUp]
    public void BuildAdversarialLayout()
    {
        host = Directory.CreateTempSubdirectory("kmlsim-sandbox-").FullName;
        mapped = Path.Combine(host, "mapped");
        Directory.CreateDirectory(Path.Combine(mapped, "sub"));
        File.WriteAllText(Path.Combine(host, "secret.txt"), "host secret");
        File.WriteAllText(Path.Combine(mapped, "inside.txt"), "inside");
        File.WriteAllText(Path.Combine(mapped, "sub", "deep.txt"), "deep");
        File.CreateSymbolicLink(Path.Combine(mapped, "escape-abs"), Path.Combine(host, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(mapped, "escape-rel"), "../secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(mapped, "escape-dir"), "..");
        File.CreateSymbolicLink(Path.Combine(mapped, "sub", "up"), "../inside.txt");
    }

    [TearDown]
    public void Remove() => Directory.Delete(host, recursive: true);

    private GuestProcess MappedProcess()
    {
        GuestProcess p = TestProcess.Idle();
        p.FileSystem.MapHostDirectory("/mnt", mapped);
        return p;
    }

    private static long Open(GuestProcess p, string path, int flags = OpenFlags.ReadOnly)
    {
        p.Poke(PathAddress, Encoding.UTF8.GetBytes(path + "\0"));
        return p.Call("openat", unchecked((ulong)-100), PathAddress, (ulong)flags, 0x1A4);
    }

    private static string ReadAll(GuestProcess p, string path)
    {
        long fd = Open(p, path);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"open {path}");
        long n = p.Call("read", (ulong)fd, Buffer, 100);
        return Encoding.UTF8.GetString(p.Peek(Buffer, (int)n));
    }

    [Test]
    public void FilesInsideTheMappingAreReadable()
    {
        GuestProcess p = MappedProcess();
        Assert.Multiple(() =>
        {
            Assert.That(ReadAll(p, "/mnt/inside.txt"), Is.EqualTo("inside"));
            Assert.That(ReadAll(p, "/mnt/sub/deep.txt"), Is.EqualTo("deep"));
            Assert.That(ReadAll(p, "/mnt/sub/up"), Is.EqualTo("inside"), "a link that stays inside works");
        });
    }

    [Test]
    public void NeitherDotDotNorLinksLeaveTheMapping()
    {
        GuestProcess p = MappedProcess();
        Assert.Multiple(() =>
        {
            Assert.That(Open(p, "/mnt/../secret.txt"), Is.EqualTo(-Errno.ENOENT));
            Assert.That(Open(p, "/mnt/sub/../../secret.txt"), Is.EqualTo(-Errno.ENOENT));
            Assert.That(Open(p, "/mnt/escape-rel"), Is.EqualTo(-Errno.ENOENT), "relative link: resolved in the simulated tree");
            Assert.That(Open(p, "/mnt/escape-abs"), Is.EqualTo(-Errno.ENOENT), "absolute link: an absolute simulated path");
            Assert.That(Open(p, "/mnt/escape-dir/secret.txt"), Is.EqualTo(-Errno.ENOENT), "a link to .. is the simulated parent");
            Assert.That(Open(p, "/mnt/escape-dir/mnt/inside.txt"), Is.GreaterThanOrEqualTo(0), "... which is the simulated root");
        });
    }

    [Test]
    public void AnAbsoluteHostLinkNamesOnlyWhatTheSimulationHoldsAtThatPath()
    {
        GuestProcess p = MappedProcess();
        p.FileSystem.Place(Path.Combine(host, "secret.txt"), new MemoryFile(p.FileSystem.NextInodeNumber(), 0x1A4));
        Assert.That(ReadAll(p, "/mnt/escape-abs"), Is.Empty, "the simulated file, not the host's secret");
    }

    [Test]
    public void AHostFileSwappedForALinkToOutsideAfterListingIsRefused()
    {
        GuestProcess p = MappedProcess();
        p.Poke(PathAddress, "/mnt/inside.txt\0"u8);
        Assert.That(p.Call("stat", PathAddress, Buffer), Is.Zero, "listed while harmless");
        File.Delete(Path.Combine(mapped, "inside.txt"));
        File.CreateSymbolicLink(Path.Combine(mapped, "inside.txt"), Path.Combine(host, "secret.txt"));
        Assert.That(Open(p, "/mnt/inside.txt"), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void TheSandboxCheckFollowsEveryHostLink()
    {
        Directory.CreateDirectory(Path.Combine(host, "mapped-sibling"));
        File.WriteAllText(Path.Combine(host, "mapped-sibling", "x.txt"), "x");
        var sandbox = new HostSandbox(mapped);
        Assert.Multiple(() =>
        {
            Assert.That(sandbox.Contains(Path.Combine(mapped, "sub", "deep.txt")), Is.True);
            Assert.That(sandbox.Contains(Path.Combine(mapped, "escape-abs")), Is.False);
            Assert.That(sandbox.Contains(Path.Combine(mapped, "escape-dir", "secret.txt")), Is.False);
            Assert.That(sandbox.ReadVerified(Path.Combine(mapped, "escape-rel")), Is.Null);
            Assert.That(sandbox.ReadVerified(Path.Combine(mapped, "inside.txt")), Is.EqualTo("inside"u8.ToArray()));
            Assert.That(sandbox.Contains(Path.Combine(host, "mapped-sibling", "x.txt")), Is.False, "a sibling sharing the root's name as a prefix");
        });
    }

    [Test]
    public void WritesIntoTheMappingFailWithErofs()
    {
        GuestProcess p = MappedProcess();
        Assert.Multiple(() =>
        {
            Assert.That(Open(p, "/mnt/inside.txt", OpenFlags.WriteOnly), Is.EqualTo(-Errno.EROFS));
            Assert.That(Open(p, "/mnt/inside.txt", OpenFlags.ReadOnly | OpenFlags.Truncate), Is.EqualTo(-Errno.EROFS));
            Assert.That(Open(p, "/mnt/new.txt", OpenFlags.Create | OpenFlags.WriteOnly), Is.EqualTo(-Errno.EROFS));
            p.Poke(PathAddress, "/mnt/sub\0"u8);
            Assert.That(p.Call("rmdir", PathAddress), Is.EqualTo(-Errno.EROFS));
            p.Poke(PathAddress, "/mnt/made\0"u8);
            Assert.That(p.Call("mkdir", PathAddress, 0x1ED), Is.EqualTo(-Errno.EROFS));
            p.Poke(PathAddress, "/mnt/inside.txt\0"u8);
            Assert.That(p.Call("unlink", PathAddress), Is.EqualTo(-Errno.EROFS));
            Assert.That(p.Call("access", PathAddress, 2), Is.EqualTo(-Errno.EROFS));
            Assert.That(p.Call("truncate", PathAddress, 0), Is.EqualTo(-Errno.EROFS));
            p.Poke(PathAddress + 0x100, "/tmp/moved\0"u8);
            Assert.That(p.Call("rename", PathAddress, PathAddress + 0x100), Is.EqualTo(-Errno.EROFS));
        });
        Assert.That(File.ReadAllText(Path.Combine(mapped, "inside.txt")), Is.EqualTo("inside"));
    }

    [Test]
    public void ADirectoryListingShowsHostLinksAsLinks()
    {
        var machine = new Machine();
        machine.FileSystem.MapHostDirectory("/mnt", mapped);
        Assert.That(machine.FileSystem.List("/mnt"), Is.EqualTo(new[] { "escape-abs", "escape-dir", "escape-rel", "inside.txt", "sub" }));
    }

    [Test]
    public void TheHostApiPutsFilesInAndReadsThemBack()
    {
        var machine = new Machine();
        machine.FileSystem.MapHostFile("/trusted/bin/tool", Path.Combine(mapped, "inside.txt"));
        machine.FileSystem.WriteFile("/data/in/notes.txt", "written by the host"u8);
        Assert.Multiple(() =>
        {
            Assert.That(machine.FileSystem.ReadFile("/trusted/bin/tool"), Is.EqualTo("inside"u8.ToArray()));
            Assert.That(machine.FileSystem.ReadFile("/data/in/notes.txt"), Is.EqualTo("written by the host"u8.ToArray()));
            Assert.That(machine.FileSystem.Exists("/data/in"), Is.True);
            Assert.That(() => machine.FileSystem.WriteFile("/trusted/bin/tool", "x"u8), Throws.ArgumentException);
            Assert.That(() => machine.FileSystem.ReadFile("/nothing"), Throws.InstanceOf<FileNotFoundException>());
            Assert.That(() => machine.FileSystem.MapHostFile("relative", mapped), Throws.ArgumentException);
            Assert.That(() => machine.FileSystem.WriteFile("/data/" + new string('n', 256), "x"u8), Throws.ArgumentException, "ENAMETOOLONG");
            Assert.That(() => machine.FileSystem.WriteFile("/trusted/bin/tool/under-a-file", "x"u8), Throws.ArgumentException, "ENOTDIR");
        });
    }
}

using KmlSim.Kernel.Files;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Tests.Kernel.Files;

/// <summary>Path walking per Linux's fs/namei.c rules: ".", "..", links in the middle and at the end, ELOOP, ENOTDIR, ENAMETOOLONG.</summary>
public class PathResolverTests
{
    private VirtualFileSystem tree = null!;
    private DirectoryNode home = null!;

    [SetUp]
    public void Build()
    {
        tree = new VirtualFileSystem(seed: 1);
        home = tree.MakeDirectories("/home/user");
        tree.Place("/home/user/file", new MemoryFile(tree.NextInodeNumber(), 0x1A4));
        tree.Place("/home/user/to-file", new SymlinkNode(tree.NextInodeNumber(), "file"));
        tree.Place("/home/user/to-home", new SymlinkNode(tree.NextInodeNumber(), "/home"));
        tree.Place("/home/user/loop", new SymlinkNode(tree.NextInodeNumber(), "loop"));
        tree.Place("/home/user/dangling", new SymlinkNode(tree.NextInodeNumber(), "missing"));
    }

    private PathLookup Resolve(string path, bool follow = true) => PathResolver.Resolve(tree.Root, home, path, follow, "/bin/prog");

    [Test]
    public void DotAndDotDotMoveThroughTheSimulatedTreeAndStopAtTheRoot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Resolve("./file").Node, Is.InstanceOf<MemoryFile>());
            Assert.That(Resolve("../user/./file").Node, Is.SameAs(Resolve("file").Node));
            Assert.That(Resolve("../../../../..").Node, Is.SameAs(tree.Root), "the root's parent is the root");
            Assert.That(Resolve("/../../home/user/file").Node, Is.SameAs(Resolve("file").Node));
            Assert.That(Resolve("/").Node, Is.SameAs(tree.Root));
        });
    }

    [Test]
    public void LinksAreFollowedInTheMiddleAndAtTheEndOnlyWhenAsked()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Resolve("to-file").Node, Is.InstanceOf<MemoryFile>());
            Assert.That(Resolve("to-file", follow: false).Node, Is.InstanceOf<SymlinkNode>());
            Assert.That(Resolve("to-home/user/file", follow: false).Node, Is.InstanceOf<MemoryFile>());
            Assert.That(Resolve("/proc/self/exe", follow: false).Node, Is.InstanceOf<SelfExecutableLink>());
            Assert.That(((SymlinkNode)Resolve("/proc/self/exe", follow: false).Node!).Target("/bin/prog"), Is.EqualTo("/bin/prog"));
        });
    }

    [Test]
    public void MissingLastComponentGivesItsParentForCreation()
    {
        PathLookup missing = Resolve("new-file");
        PathLookup throughDangling = Resolve("dangling");
        Assert.Multiple(() =>
        {
            Assert.That(missing.Error, Is.Zero);
            Assert.That(missing.Node, Is.Null);
            Assert.That(missing.Parent, Is.SameAs(home));
            Assert.That(missing.Name, Is.EqualTo("new-file"));
            Assert.That(throughDangling.Node, Is.Null);
            Assert.That(throughDangling.Name, Is.EqualTo("missing"), "O_CREAT through a dangling link creates its target");
        });
    }

    [Test]
    public void ErrorsAreLinuxs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Resolve("").Error, Is.EqualTo(-Errno.ENOENT));
            Assert.That(Resolve("missing/file").Error, Is.EqualTo(-Errno.ENOENT));
            Assert.That(Resolve("file/x").Error, Is.EqualTo(-Errno.ENOTDIR));
            Assert.That(Resolve("file/").Error, Is.EqualTo(-Errno.ENOTDIR));
            Assert.That(Resolve("loop").Error, Is.EqualTo(-Errno.ELOOP));
            Assert.That(Resolve("loop", follow: false).Node, Is.InstanceOf<SymlinkNode>());
            Assert.That(Resolve(new string('a', 256)).Error, Is.EqualTo(-Errno.ENAMETOOLONG));
            Assert.That(Resolve(new string('a', 255)).Error, Is.Zero);
        });
    }

    [Test]
    public void TheStandardDevicesAndDirectoriesExist()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Resolve("/dev/null").Node, Is.InstanceOf<DeviceNode>());
            Assert.That(Resolve("/dev/zero").Node!.DeviceNumber, Is.EqualTo(0x105UL), "makedev(1, 5)");
            Assert.That(Resolve("/dev/urandom").Node!.DeviceNumber, Is.EqualTo(0x109UL), "makedev(1, 9)");
            Assert.That(Resolve("/tmp").Node!.Mode, Is.EqualTo(0x43FFu), "drwxrwxrwt");
        });
    }
}

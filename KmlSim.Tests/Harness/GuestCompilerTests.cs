using KmlSim.Guests;

namespace KmlSim.Tests.Harness;

/// <summary>Guests that link extra static libraries: the libraries are part of the cache key, and a missing archive says which package to install.</summary>
public class GuestCompilerTests
{
    private static string Hello => Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", "hello.c");

    [Test]
    public void MissingStaticLibraryNamesTheArchiveAndItsPackage()
    {
        var missing = new GuestLibrary("kmlsimnosuchlibrary", "kmlsim-nosuch-dev");
        var error = Assert.Throws<GuestBuildException>(() => GuestCompiler.Build(Hello, GuestToolchain.Glibc, [missing]));
        Assert.That(error!.Message, Does.Contain("libkmlsimnosuchlibrary.a").And.Contain("kmlsim-nosuch-dev"));
    }

    [Test]
    public void ExtraLibrariesAreBuiltAndCachedSeparately()
    {
        string plain = GuestCompiler.Build(Hello);
        string linked = GuestCompiler.Build(Hello, GuestToolchain.Glibc, [GuestLibrary.Pthread]);
        Assert.Multiple(() =>
        {
            Assert.That(linked, Is.Not.EqualTo(plain));
            Assert.That(File.Exists(linked), Is.True);
            Assert.That(GuestCompiler.Build(Hello, GuestToolchain.Glibc, [GuestLibrary.Pthread]), Is.EqualTo(linked));
        });
    }
}

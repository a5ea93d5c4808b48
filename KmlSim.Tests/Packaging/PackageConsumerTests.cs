using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KmlSim.Tests.DotnetTools;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Packaging;

/// <summary>
/// The packages as a user receives them: KmlSim.Core and KmlSim.Timing are packed into a folder feed, and a
/// console project outside the repository (so none of its Directory.*.props apply) restores them from that
/// feed (Iced from the registry the machine is configured with) into its own package folder, builds, and
/// runs a null system call under Stock and under KML with the Opteron 850 timing model through the public API.
/// Each package also carries what a user expects of it: licence, README, XML docs, symbols, its one dependency.
/// </summary>
[Category("Slow")]
public class PackageConsumerTests
{
    private const int GetppidCalls = 2000;
    private static readonly TimeSpan CommandTimeLimit = TimeSpan.FromMinutes(10);
    private DirectoryInfo work = null!;
    private string feed = "";
    private string version = "";

    /// <summary>Packs both packages once, from the outputs the tests were built against (so, as they are).</summary>
    [OneTimeSetUp]
    public void PackIntoAFolderFeed()
    {
        work = Directory.CreateTempSubdirectory("kmlsim-package-consumer-");
        feed = Path.Combine(work.FullName, "feed");
        foreach (string project in new[] { "KmlSim.Core/KmlSim.Core.csproj", "KmlSim.Timing/KmlSim.Timing.csproj" })
        {
            DotnetOutcome pack = Dotnet(["pack", Path.Combine(RepositoryLayout.Root, project), "-c", RepositoryLayout.Configuration, "--no-build", "-o", feed], RepositoryLayout.Root);
            Assert.That(pack.Succeeded, pack.Describe());
        }

        version = PackedVersion(feed, "KmlSim.Core");
    }

    [OneTimeTearDown]
    public void DeleteWorkFolder() => work.Delete(recursive: true);

    [TestCase("KmlSim.Core", "Iced")]
    [TestCase("KmlSim.Timing", "KmlSim.Core")]
    public void PackageCarriesItsLicenceReadmeDocsSymbolsAndDependency(string id, string dependency)
    {
        using ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.snupkg"));
        XElement metadata = Nuspec(package, id);
        XNamespace ns = metadata.Name.Namespace;
        string[] entries = [.. package.Entries.Select(e => e.FullName)];
        string licence = File.ReadLines(Path.Combine(RepositoryLayout.Root, "LICENSE")).First();
        Assert.Multiple(() =>
        {
            Assert.That(licence, Is.EqualTo($"{metadata.Element(ns + "license")?.Value} License"), "the licence expression names the licence in LICENSE");
            Assert.That(metadata.Element(ns + "license")?.Attribute("type")?.Value, Is.EqualTo("expression"));
            Assert.That(metadata.Element(ns + "authors")?.Value, Is.Not.Empty);
            Assert.That(metadata.Element(ns + "description")?.Value, Is.Not.Empty);
            Assert.That(metadata.Element(ns + "repository")?.Attribute("url")?.Value, Is.Not.Empty);
            Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"));
            Assert.That(entries, Does.Contain("README.md"));
            Assert.That(entries, Does.Contain($"lib/net10.0/{id}.dll"));
            Assert.That(entries, Does.Contain($"lib/net10.0/{id}.xml"), "XML documentation");
            Assert.That(symbols.Entries.Select(e => e.FullName), Does.Contain($"lib/net10.0/{id}.pdb"), "symbols in the .snupkg");
            Assert.That(metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")?.Value), Is.EqualTo(new[] { dependency }));
        });
    }

    [Test]
    public void PackedCoreAndTimingRunANullSystemCallComparisonInAConsumerProject()
    {
        string consumer = WriteConsumer();
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "packages") };
        DotnetOutcome build = Dotnet(["build", consumer, "-c", "Release"], consumer, isolated);
        Assert.That(build.Succeeded, build.Describe());

        string guest = Path.Combine(work.FullName, "getppid-loop");
        File.WriteAllBytes(guest, GetppidLoop());
        DotnetOutcome run = Dotnet([Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"), guest], consumer, isolated);
        Assert.That(run.Succeeded, run.Describe());
        TestContext.Out.Write(run.Output);

        long stock = Cycles(run, "stock");
        long kml = Cycles(run, "kml");
        Assert.That(kml, Is.LessThan(stock), $"a trusted process under KML pays no SYSCALL, SYSRET or SWAPGS; the consumer printed:\n{run.Output}");
    }

    /// <summary>getppid <see cref="GetppidCalls"/> times with a raw SYSCALL, then exit(0).</summary>
    private static byte[] GetppidLoop() => ElfImageBuilder.Program(a =>
    {
        var loop = a.CreateLabel();
        a.mov(ebx, GetppidCalls);
        a.Label(ref loop);
        a.mov(eax, 110); // getppid
        a.syscall();
        a.dec(ebx);
        a.jnz(loop);
        a.mov(eax, 60); // exit(0)
        a.xor(edi, edi);
        a.syscall();
    });

    private static DotnetOutcome Dotnet(string[] arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        DotnetCommand.Run(arguments, workingDirectory, CommandTimeLimit, environment);

    private static XElement Nuspec(ZipArchive package, string id)
    {
        ZipArchiveEntry entry = package.GetEntry($"{id}.nuspec") ?? throw new AssertionException($"{id}.nuspec missing from the package");
        using Stream stream = entry.Open();
        XElement root = XDocument.Load(stream).Root ?? throw new AssertionException($"{id}.nuspec is empty");
        return root.Element(root.Name.Namespace + "metadata") ?? throw new AssertionException($"{id}.nuspec has no metadata");
    }

    private static string PackedVersion(string feed, string id)
    {
        string[] packages = Directory.Exists(feed) ? Directory.GetFiles(feed, $"{id}.*.nupkg") : [];
        Assert.That(packages, Has.Length.EqualTo(1), $"one {id} package in {feed}");
        return Path.GetFileNameWithoutExtension(packages[0])[(id.Length + 1)..];
    }

    private static long Cycles(DotnetOutcome run, string mode)
    {
        Match line = Regex.Match(run.Output, $"^{mode}: cycles (\\d+) ", RegexOptions.Multiline);
        Assert.That(line.Success, $"no '{mode}: cycles' line; the consumer printed:\n{run.Output}");
        return long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the consumer project; it may only use the packages' public API.</summary>
    private string WriteConsumer()
    {
        string folder = Path.Combine(work.FullName, "consumer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="KmlSim.Core" Version="[{version}]" />
                <PackageReference Include="KmlSim.Timing" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        // No <clear/>: the user's and the machine's package sources (the registry) stay, the feed is added.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="kmlsim-packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using KmlSim;
            using KmlSim.Timing.Profiles;

            // A null system call loop (args[0]) under the stock kernel and as a trusted process under KML.
            RunResult stock = Run(KernelMode.Stock, trusted: false);
            RunResult kml = Run(KernelMode.Kml, trusted: true);
            return stock.ExitCode == 0 && kml.ExitCode == 0 ? 0 : 1;

            RunResult Run(KernelMode mode, bool trusted)
            {
                var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted, Timing = CpuProfiles.Opteron850 });
                machine.Start(args[0]);
                RunResult result = machine.Run(RunLimits.Instructions(10_000_000));
                Console.WriteLine($"{mode.ToString().ToLowerInvariant()}: cycles {result.Timing?.TotalCycles} user {result.Timing?.UserCycles} system {result.Timing?.SystemCycles} syscalls {result.Syscalls} outcome {result.Outcome} exit {result.ExitCode} {result.Message}");
                return result;
            }
            """);
        return folder;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace KmlSim.Guests;

/// <summary>
/// Compiles C guest programs into static x86-64 executables, once: the output is cached under
/// <see cref="CacheDirectory"/> by a hash of the source, the toolchain, its flags and the compiler's
/// version, so a test run or a benchmark pays for each distinct guest one compilation, and a cached binary
/// is never stale (extra libraries a guest links are part of the key). Concurrent builders (parallel tests, several processes) are safe: a binary is
/// written under a temporary name and renamed into place.
/// </summary>
public static class GuestCompiler
{
    private static readonly ConcurrentDictionary<GuestToolchain, Lazy<string?>> Versions = new();

    /// <summary>
    /// Where built guests are kept: $KMLSIM_GUEST_CACHE, else $XDG_CACHE_HOME/kmlsim/guests, else
    /// ~/.cache/kmlsim/guests, else the temporary directory.
    /// </summary>
    public static string CacheDirectory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("KMLSIM_GUEST_CACHE");
            if (!string.IsNullOrEmpty(overridden))
            {
                return overridden;
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string root = !string.IsNullOrEmpty(xdg) ? xdg : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
            return Path.Combine(root, "kmlsim", "guests");
        }
    }

    /// <summary>True when the toolchain's compiler runs on this host.</summary>
    public static bool IsAvailable(GuestToolchain toolchain) => CompilerVersion(toolchain) is not null;

    /// <summary>The compiler command of a toolchain.</summary>
    public static string CompilerOf(GuestToolchain toolchain) => toolchain == GuestToolchain.Musl ? "musl-gcc" : "gcc";

    /// <summary>The flags a toolchain compiles with (libm is always linked).</summary>
    public static IReadOnlyList<string> FlagsOf(GuestToolchain toolchain) => toolchain switch
    {
        GuestToolchain.GlibcStaticPie => ["-O2", "-static-pie", "-fPIE"],
        GuestToolchain.GlibcDynamic => ["-O2"],
        _ => ["-O2", "-static"],
    };

    /// <summary>
    /// Builds (or finds in the cache) the executable for a C source file, linked with <paramref name="libraries"/>
    /// (in that order, before libm), and returns its path.
    /// </summary>
    /// <exception cref="GuestBuildException">The compiler or a library's static archive is missing (the message names the package to install), or the build failed.</exception>
    /// <exception cref="IOException">The source cannot be read.</exception>
    public static string Build(string sourcePath, GuestToolchain toolchain = GuestToolchain.Glibc, IReadOnlyList<GuestLibrary>? libraries = null)
    {
        string compiler = CompilerOf(toolchain);
        string version = CompilerVersion(toolchain)
            ?? throw new GuestBuildException($"'{compiler}' was not found; it is needed to build {Path.GetFileName(sourcePath)} ({toolchain})");
        byte[] source = File.ReadAllBytes(sourcePath);
        IReadOnlyList<string> flags = FlagsOf(toolchain);
        libraries ??= [];
        string links = string.Join(' ', libraries.Select(library => "-l" + library.Name));
        // Without extra libraries the key is what it always was, so guests cached before stay valid.
        string key = links.Length == 0
            ? Hash(source, compiler, string.Join(' ', flags), version)
            : Hash(source, compiler, string.Join(' ', flags), version, links);
        string name = Path.GetFileNameWithoutExtension(sourcePath);
        string output = Path.Combine(CacheDirectory, $"{name}-{toolchain.ToString().ToLowerInvariant()}-{key}");
        if (File.Exists(output))
        {
            return output;
        }

        foreach (GuestLibrary library in libraries)
        {
            RequireStaticLibrary(compiler, library, sourcePath);
        }

        Directory.CreateDirectory(CacheDirectory);
        string temporary = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var arguments = new List<string>(flags) { "-o", temporary, Path.GetFullPath(sourcePath) };
        arguments.AddRange(libraries.Select(library => "-l" + library.Name));
        arguments.Add("-lm");
        (int status, string messages) = RunTool(compiler, arguments);
        if (status != 0)
        {
            File.Delete(temporary);
            throw new GuestBuildException($"{compiler} failed to build {sourcePath} (exit {status}):\n{messages}");
        }

        File.Move(temporary, output, overwrite: true);
        return output;
    }

    /// <summary>
    /// Asks the compiler where <c>lib<i>Name</i>.a</c> is (<c>-print-file-name</c> answers the bare name when it
    /// finds nothing), so that a missing archive fails with the package to install rather than a link error.
    /// </summary>
    private static void RequireStaticLibrary(string compiler, GuestLibrary library, string sourcePath)
    {
        string archive = $"lib{library.Name}.a";
        (int status, string found) = RunTool(compiler, [$"-print-file-name={archive}"]);
        found = found.Trim();
        if (status != 0 || !found.Contains('/') || !File.Exists(found))
        {
            throw new GuestBuildException(
                $"{archive} was not found by {compiler}; {Path.GetFileName(sourcePath)} links it statically: install the Debian package {library.Package} (apt-get install {library.Package})");
        }
    }

    private static string Hash(byte[] source, params string[] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(source);
        foreach (string part in parts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\0" + part));
        }

        return Convert.ToHexString(sha.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }

    private static string? CompilerVersion(GuestToolchain toolchain) =>
        Versions.GetOrAdd(toolchain, t => new Lazy<string?>(() =>
        {
            try
            {
                (int status, string text) = RunTool(CompilerOf(t), ["--version"]);
                return status == 0 ? text.Split('\n')[0] : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // not installed
            }
        })).Value;

    private static (int Status, string Output) RunTool(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new GuestBuildException($"could not start '{command}'");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}

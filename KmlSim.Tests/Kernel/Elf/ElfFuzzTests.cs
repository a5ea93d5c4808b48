using KmlSim.Guests;
using KmlSim.Kernel.Elf;
using KmlSim.Tests.Kernel.Guests;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Elf;

/// <summary>
/// Truncated and bit-flipped copies of a real static binary either load or are refused with
/// <see cref="ElfFormatException"/>; nothing else may escape (no host exception of any other kind).
/// </summary>
public class ElfFuzzTests
{
    private static byte[]? original;

    private static byte[] Original() => original ??= File.ReadAllBytes(GuestRuns.Build("hello", GuestToolchain.Glibc));

    /// <summary>True when the image loaded, false when it was refused with <see cref="ElfFormatException"/>.</summary>
    private static bool LoadOrRefuse(byte[] image, string what)
    {
        try
        {
            TestProcess.Exec(image, memoryBytes: 128UL << 20);
            return true;
        }
        catch (ElfFormatException)
        {
            return false;
        }
        catch (Exception other)
        {
            Assert.Fail($"{what}: {other.GetType().Name}: {other.Message}");
            return false;
        }
    }

    [Test]
    public void TruncationsLoadOrAreRefused()
    {
        byte[] image = Original();
        var random = new Random(1);
        int refused = 0;
        for (int i = 0; i < 60; i++)
        {
            int length = i < 30 ? random.Next(0, 1024) : random.Next(0, image.Length);
            refused += LoadOrRefuse(image[..length], $"truncated to {length} bytes") ? 0 : 1;
        }

        Assert.That(refused, Is.GreaterThanOrEqualTo(30), "every cut within the first KiB (the headers) is refused");
    }

    [Test]
    public void BitFlipsLoadOrAreRefused()
    {
        byte[] image = Original();
        var random = new Random(2);
        int loaded = 0;
        for (int i = 0; i < 250; i++)
        {
            byte[] copy = (byte[])image.Clone();
            var flips = new List<string>();
            for (int f = random.Next(1, 5); f > 0; f--)
            {
                // mostly the ELF and program headers, where every field matters
                int at = random.Next(4) == 0 ? random.Next(copy.Length) : random.Next(0, 64 + (56 * 12));
                int bit = random.Next(8);
                copy[at] ^= (byte)(1 << bit);
                flips.Add($"{at}:{bit}");
            }

            loaded += LoadOrRefuse(copy, $"bits flipped at {string.Join(',', flips)}") ? 1 : 0;
        }

        Assert.That(loaded, Is.InRange(1, 249), "the flips must exercise both acceptance and refusal");
    }
}

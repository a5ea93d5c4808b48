namespace KmlSim.Kernel.Files;

/// <summary>The character devices a program expects: /dev/null, /dev/zero and a seeded /dev/urandom.</summary>
internal sealed class DeviceNode(long number, DeviceNode.Device device, Random random) : Inode(number, 0x1B6)
{
    /// <summary>Which device.</summary>
    public enum Device
    {
        /// <summary>/dev/null (1, 3): reads end at once, writes vanish.</summary>
        Null = 3,
        /// <summary>/dev/zero (1, 5): reads give zeros, writes vanish.</summary>
        Zero = 5,
        /// <summary>/dev/urandom (1, 9): reads give the machine's seeded random bytes.</summary>
        Urandom = 9,
    }

    /// <summary>True for /dev/null.</summary>
    public bool IsNull => device == Device.Null;

    /// <summary>True when writes never read their data (drivers/char/mem.c: /dev/zero's write is write_null; /dev/urandom's mixes it into the pool).</summary>
    public bool DiscardsWrites => device is Device.Null or Device.Zero;

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.CharacterDevice;

    /// <inheritdoc/>
    public override ulong DeviceNumber => (1UL << 8) | (ulong)device; // major 1 (mem), as makedev encodes small numbers

    /// <summary>Fills <paramref name="destination"/> as the device does; returns the count.</summary>
    public int Read(Span<byte> destination)
    {
        switch (device)
        {
            case Device.Null:
                return 0;
            case Device.Zero:
                destination.Clear();
                return destination.Length;
            default:
                random.NextBytes(destination);
                return destination.Length;
        }
    }
}

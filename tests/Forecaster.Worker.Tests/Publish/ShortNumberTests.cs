using System.Globalization;
using System.Text;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Tests.Publish;

public class ShortNumberTests
{
    private static string Text(double value)
    {
        var buffer = new byte[ShortNumber.MaxLength];
        return Encoding.ASCII.GetString(buffer, 0, ShortNumber.Write(value, buffer));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(50.0, "50")]
    [InlineData(300.0, "300")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(52.3456789, "52.3457")]
    [InlineData(0.0125, "0.0125")]
    [InlineData(0.000123456789, "0.000123457")]
    [InlineData(123456.5, "123457")]
    [InlineData(999999.7, "1000000")]
    [InlineData(9.999996, "10")]
    [InlineData(1234567890.0, "1234570000")]
    [InlineData(double.NaN, "null")]
    [InlineData(double.PositiveInfinity, "null")]
    public void Writes_six_significant_digits_without_trailing_zeros(double value, string expected) =>
        Assert.Equal(expected, Text(value));

    [Fact]
    public void Every_magnitude_reads_back_within_half_a_unit_of_the_sixth_digit()
    {
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var value = (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-12, 25));
            var text = Text(value);
            var back = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(back - value) <= Math.Abs(value) * 5.0001e-6, $"{value:R} written as {text}");
            Assert.True(text.Length <= ShortNumber.MaxLength);
        }
    }
}

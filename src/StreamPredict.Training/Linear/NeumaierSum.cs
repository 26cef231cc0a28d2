namespace StreamPredict.Training.Linear;

/// <summary>Compensated summation, so sums over tens of thousands of rows do not lose the low bits.</summary>
internal struct NeumaierSum
{
    private double _sum;
    private double _compensation;

    public readonly double Value => _sum + _compensation;

    public void Add(double value)
    {
        double next = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - next) + value : (value - next) + _sum;
        _sum = next;
    }
}

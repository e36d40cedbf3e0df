package dev.baton.demo;

public final class Demo
{
    public static void main(final String[] args)
    {
    }
}

//! A Rust handler process, as the bindings' handler processes are (tests/bindings/handler-process):
//! opens the channel file at its path, prints "attached", answers each 8-byte number with status 200
//! and its double until the host closes the channel, polling and completing in batches of up to 64,
//! then prints "served N"; or, once the host is gone, prints "host gone". With poll_ms it does not
//! sleep on the channel but looks every poll_ms milliseconds. With --floor it serves no channel: it
//! calls the same handler in a plain loop over as many payloads and prints "floor <events per second>".
//!
//!     handler_process <path> <threads> [poll_ms]
//!     handler_process --floor <events>

use std::path::Path;
use std::time::{Duration, Instant};

use baton::{sys, Channel, Error};

/// The handler of every language's handler process.
fn double(payload: &[u8; 8]) -> [u8; 8] {
    (2 * i64::from_ne_bytes(*payload)).to_ne_bytes()
}

/// Serves in batches until the channel closes: the events completed.
fn serve(channel: &Channel, poll: Option<Duration>) -> Result<u64, Error> {
    let mut served = 0;
    loop {
        let events = match channel.poll_batch(64) {
            Err(Error(sys::BATON_ESHUTDOWN)) => return Ok(served),
            polled => polled?,
        };
        if events.is_empty() {
            match poll {
                Some(interval) => std::thread::sleep(interval),
                None => match channel.await_events(Duration::from_millis(100)) {
                    Err(Error(sys::BATON_ESHUTDOWN)) => return Ok(served),
                    waited => {
                        waited?;
                    }
                },
            }
            continue;
        }
        let mut answers = Vec::with_capacity(events.len());
        for event in &events {
            let mut payload = [0u8; 8];
            answers.push(match event.read_payload(&mut payload) {
                Ok(8) => Some(double(&payload)),
                _ => None, // ended meanwhile, or not a number: its completion is refused or it times out
            });
        }
        let completions: Vec<_> = events
            .into_iter()
            .zip(&answers)
            .filter_map(|(event, answer)| answer.as_ref().map(|bytes| (event, 200, &bytes[..])))
            .collect();
        served += channel.complete_batch(completions)?.iter().filter(|result| result.is_ok()).count() as u64;
    }
}

fn floor(events: u64) {
    let payloads: Vec<[u8; 8]> = (0..1024i64).map(i64::to_ne_bytes).collect();
    let start = Instant::now();
    for n in 0..events {
        std::hint::black_box(double(std::hint::black_box(&payloads[(n & 1023) as usize])));
    }
    println!("floor {:.0}", events as f64 / start.elapsed().as_secs_f64());
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().map(String::as_str) == Some("--floor") {
        floor(arguments.get(1).and_then(|events| events.parse().ok()).expect("--floor <events>"));
        return;
    }
    let (Some(path), Some(threads)) = (arguments.first(), arguments.get(1).and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: handler_process <path> <threads> [poll_ms] | --floor <events>");
        std::process::exit(2);
    };
    let poll = arguments.get(2).and_then(|ms| ms.parse().ok()).map(Duration::from_millis);
    let channel = match Channel::open(Path::new(path)) {
        Ok(channel) => channel,
        Err(error) => {
            eprintln!("{}: {}", error.name().unwrap_or("?"), error.detail());
            std::process::exit(1);
        }
    };
    println!("attached");
    let results: Vec<Result<u64, Error>> = std::thread::scope(|scope| {
        let serving: Vec<_> = (0..threads.max(1)).map(|_| scope.spawn(|| serve(&channel, poll))).collect();
        serving.into_iter().map(|thread| thread.join().expect("a serving thread panicked")).collect()
    });
    if results.iter().any(|result| *result == Err(Error(sys::BATON_EHOSTDOWN))) {
        println!("host gone");
        return;
    }
    let served: u64 = results.iter().map(|result| result.unwrap_or(0)).sum();
    println!("served {served}");
}

//! The load of `bench/live.sh`: many open event streams, a steady rate of claim edits,
//! and how long each edit takes to reach every stream. Tokio on all cores, so that the
//! client costs little beside the server it measures (the Python client it replaced was
//! the busiest process of its own benchmark).
//!
//!   cargo run --release --example live_load -- BASE TOKEN CLAIM_IDS SERVER_PID [STREAMS RATE SECONDS]
//!
//! Latency runs from sending an edit (before the server commits it) to a stream reading
//! its event: an upper bound of commit to delivery. Prints one JSON object.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[derive(Default)]
struct Shared {
    /// (claim, version) → when its edit was sent.
    sent: Mutex<HashMap<(String, i64), Instant>>,
    latencies: Mutex<Vec<f64>>,
    delivered: AtomicU64,
    resets: AtomicU64,
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

async fn stream(
    client: reqwest::Client,
    url: String,
    token: String,
    shared: Arc<Shared>,
    ready: Arc<tokio::sync::Semaphore>,
    ended: Arc<AtomicBool>,
) {
    let mut response = match client.get(&url).bearer_auth(&token).send().await {
        Ok(r) if r.status() == 200 => r,
        _ => {
            ended.store(true, Ordering::Relaxed);
            ready.add_permits(1);
            return;
        }
    };
    let mut buffer = String::new();
    let mut announced = false;
    while let Ok(Some(chunk)) = response.chunk().await {
        let at = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let mut event = "";
            let mut data = "";
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("event: ") {
                    event = v;
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = v;
                }
            }
            match event {
                "ready" if !announced => {
                    announced = true;
                    ready.add_permits(1);
                }
                "reset" => {
                    shared.resets.fetch_add(1, Ordering::Relaxed);
                }
                "change" => {
                    let Ok(e) = serde_json::from_str::<Value>(data) else {
                        continue;
                    };
                    if e["entity"] != "claim" {
                        continue;
                    }
                    let key = (
                        e["claim_id"].as_str().unwrap_or("").to_string(),
                        e["version"].as_i64().unwrap_or(-1),
                    );
                    let sent = shared.sent.lock().unwrap().get(&key).copied();
                    if let Some(sent) = sent {
                        shared.delivered.fetch_add(1, Ordering::Relaxed);
                        let ms = at.duration_since(sent).as_secs_f64() * 1000.0;
                        shared.latencies.lock().unwrap().push(ms);
                    }
                }
                _ => {}
            }
        }
    }
    ended.store(true, Ordering::Relaxed);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: live_load BASE TOKEN CLAIM_IDS SERVER_PID [STREAMS RATE SECONDS]");
        std::process::exit(2);
    }
    let base = args[0].trim_end_matches('/').to_string();
    let token = args[1].clone();
    let claims: Vec<String> = args[2].split(',').map(str::to_string).collect();
    let server_pid: u32 = args[3].parse().expect("SERVER_PID");
    let streams: usize = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(1000);
    let rate: f64 = args.get(5).and_then(|v| v.parse().ok()).unwrap_or(50.0);
    let seconds: f64 = args.get(6).and_then(|v| v.parse().ok()).unwrap_or(20.0);

    let shared = Arc::new(Shared::default());
    // One connection per stream, as browsers hold them.
    let stream_client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let api = reqwest::Client::new();
    let idle_before = rss_kib(server_pid);
    let ready = Arc::new(tokio::sync::Semaphore::new(0));
    let mut ended = Vec::new();
    for _ in 0..streams {
        let flag = Arc::new(AtomicBool::new(false));
        ended.push(flag.clone());
        tokio::spawn(stream(
            stream_client.clone(),
            format!("{base}/api/v1/events"),
            token.clone(),
            shared.clone(),
            ready.clone(),
            flag,
        ));
    }
    let all_ready = ready.acquire_many(streams as u32);
    tokio::time::timeout(Duration::from_secs(120), all_ready)
        .await
        .expect("every stream ready within 2 minutes")
        .unwrap()
        .forget();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_after = rss_kib(server_pid);

    // Each edit sets a claim's priority over the version it has; the version it will
    // have names its event. One edit per claim at a time.
    let mut versions = HashMap::new();
    for c in &claims {
        let claim: Value = api
            .get(format!("{base}/api/v1/claims/{c}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        versions.insert(
            c.clone(),
            Arc::new(tokio::sync::Mutex::new(claim["version"].as_i64().unwrap())),
        );
    }
    let priorities = ["low", "normal", "high", "urgent"];
    let changes = (seconds * rate) as usize;
    let failed = Arc::new(AtomicU64::new(0));
    let (server_cpu, client_cpu) = (cpu_seconds(&server_pid.to_string()), cpu_seconds("self"));
    let started = Instant::now();
    let mut edits = Vec::with_capacity(changes);
    for i in 0..changes {
        let target = started + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(target.into()).await;
        let claim = claims[i % claims.len()].clone();
        let version = versions[&claim].clone();
        let (api, base, token, shared, failed) = (
            api.clone(),
            base.clone(),
            token.clone(),
            shared.clone(),
            failed.clone(),
        );
        let priority = priorities[(i / claims.len() + 1) % 4];
        edits.push(tokio::spawn(async move {
            let mut v = version.lock().await;
            shared
                .sent
                .lock()
                .unwrap()
                .insert((claim.clone(), *v + 1), Instant::now());
            let answer = api
                .patch(format!("{base}/api/v1/claims/{claim}"))
                .bearer_auth(&token)
                .json(&json!({"priority": priority, "version": *v}))
                .send()
                .await;
            match answer {
                Ok(r) if r.status() == 200 => *v += 1,
                _ => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    shared.sent.lock().unwrap().remove(&(claim, *v + 1));
                }
            }
        }));
    }
    for e in edits {
        let _ = e.await;
    }
    let took = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let server_cpu = cpu_seconds(&server_pid.to_string()) - server_cpu;
    let client_cpu = cpu_seconds("self") - client_cpu;

    let failed = failed.load(Ordering::Relaxed) as usize;
    let mut lat = shared.latencies.lock().unwrap().clone();
    lat.sort_by(f64::total_cmp);
    let q = |f: f64| {
        lat.get(((f * lat.len() as f64) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let round = |x: f64| (x * 10.0).round() / 10.0;
    println!(
        "{}",
        json!({
            "streams": streams,
            "changes": changes - failed,
            "failed_changes": failed,
            "rate_per_s": round((changes - failed) as f64 / took),
            "deliveries": shared.delivered.load(Ordering::Relaxed),
            "expected_deliveries": (changes - failed) * streams,
            "dropped_streams": ended.iter().filter(|e| e.load(Ordering::Relaxed)).count(),
            "resets": shared.resets.load(Ordering::Relaxed),
            "p50_ms": round(q(0.50)),
            "p99_ms": round(q(0.99)),
            "max_ms": round(lat.last().copied().unwrap_or(f64::NAN)),
            "rss_idle_before_kib": idle_before,
            "rss_idle_after_kib": idle_after,
            "kib_per_idle_stream": round((idle_after as f64 - idle_before as f64) / streams as f64),
            "server_cores": round(server_cpu / (took + 2.0) * 100.0) / 100.0,
            "client_cores": round(client_cpu / (took + 2.0) * 100.0) / 100.0,
        })
    );
}

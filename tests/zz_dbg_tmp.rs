#[path = "../benches/workload/mod.rs"]
mod workload;
use clearance::{Action, Engine, Policies, Query};
use clearance::cedar_policy::Authorizer;
#[test]
fn dbg() {
    let inv = workload::reference_inventory();
    let s = inv.systems.iter().find(|s| s.id.as_str() == "uk-government-sys-000").unwrap();
    println!("{:?}", s);
    let engine = Engine::new(inv, Policies::all_packs().unwrap()).unwrap();
    let at = workload::reference_instant();
    let q = Query::new("uk-government-sys-000", Action::Operate, "kes-15.0.1").at(at);
    let d = engine.decide(&q).unwrap();
    println!("decide: {:?} {:?}", d.rule_ids(), d.advice_ids());
    let request = engine.request(&q).unwrap();
    let entities = engine.entities_at(at).unwrap();
    let r = Authorizer::new().is_authorized(&request, engine.policies().binding(), entities);
    println!("cedar: {:?}", r.diagnostics().reason().collect::<Vec<_>>());
    let m = engine.matrix(Action::Operate, at);
    for c in m.decisions() { if c.asked().system.as_str()=="uk-government-sys-000" && c.asked().release.as_str()=="kes-15.0.1" { println!("matrix: {:?}", c.rule_ids()); } }
}
#[test]
fn dbg2() {
    let inv = workload::reference_inventory();
    let engine = Engine::new(inv, Policies::all_packs().unwrap()).unwrap();
    let at = workload::reference_instant();
    let ids: Vec<String> = engine.policies().binding().policies().map(|p| p.id().to_string()).collect();
    println!("ids: {ids:?}");
    let p = engine.policies().binding().policies().find(|p| p.id().to_string()=="uk-ncsc-2017/national-security-assessed-in-use").unwrap();
    println!("{}", p);
    let entities = engine.entities_at(at).unwrap();
    let e = entities.iter().find(|e| e.uid().to_string().contains("uk-government-sys-000")).unwrap();
    println!("{}", e.to_json_string().unwrap());
    for a in [Action::Procure, Action::Deploy, Action::Update] {
    let q = Query::new("uk-government-sys-000", a, "kes-15.0.1").at(at);
    let request = engine.request(&q).unwrap();
    println!("{request}");
    let r = Authorizer::new().is_authorized(&request, engine.policies().binding(), entities);
    println!("cedar {a}: {:?} {:?}", r.diagnostics().reason().collect::<Vec<_>>(), r.diagnostics().errors().collect::<Vec<_>>());
    }
}
